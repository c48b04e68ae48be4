// The caller's side of the analysis worker: load a file or stream chunks in, ask questions,
// watch progress, cancel. Cancel terminates the thread: the work stops at once.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SnapshotError } from '../errors';
import { HuntSpec, InspectorAddress, LoadSource, Phase, QueryMethod, WorkerMessage, WorkerRequest } from './protocol';
import type { LeakReport } from '../report';
import type { ClassRow } from '../../webview/protocol';
import type { SnapshotStats, NodeInfo } from '../session';
import type { ClassSummary } from '../classes';
import type { RetainerGraph } from '../report';
import type { RetainerGraphOptions } from '../retainerGraph';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface WorkerProgress { phase: Phase; done: number; total: number; message?: string }

/** A finished hunt: the report, and for each leak the snapshot id of the object its path leads to. */
export interface HuntOutcome { report: LeakReport; targets: number[] }

export class SnapshotWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed: Error | null = null;

  /** `onOutput` receives what a hunted program prints (hunt worker only). */
  onOutput?: (text: string) => void;

  constructor(private readonly onProgress?: (p: WorkerProgress) => void, workerPath = path.join(__dirname, 'analysisWorker.js')) {
    // The analysis of a large snapshot needs far more than the default old-space limit.
    this.worker = new Worker(workerPath, { resourceLimits: { maxOldGenerationSizeMb: 16000 } });
    this.worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.worker.on('error', (e) => this.close(e));
    this.worker.on('exit', (code) => this.close(new Error(`the analysis worker stopped (exit code ${code})`)));
  }

  loadFile(file: string): Promise<SnapshotStats> {
    return this.request({ type: 'load', source: { kind: 'file', path: file } }) as Promise<SnapshotStats>;
  }

  /** Starts a streamed load; feed it with write() and finish with end(). */
  loadStream(totalBytes?: number): Promise<SnapshotStats> {
    const source: LoadSource = { kind: 'stream', totalBytes };
    return this.request({ type: 'load', source }) as Promise<SnapshotStats>;
  }

  write(chunk: string | Uint8Array): void {
    if (!this.closed) this.worker.postMessage({ type: 'chunk', data: chunk });
  }

  end(): void {
    if (!this.closed) this.worker.postMessage({ type: 'end' });
  }

  stats(): Promise<SnapshotStats> { return this.query('stats') as Promise<SnapshotStats>; }
  summary(top?: number): Promise<ClassSummary[]> { return this.query('summary', top) as Promise<ClassSummary[]>; }
  nodeInfo(id: number): Promise<NodeInfo | null> { return this.query('nodeInfo', id) as Promise<NodeInfo | null>; }
  retainerGraph(id: number, options?: Partial<RetainerGraphOptions>): Promise<RetainerGraph | null> {
    return this.query('retainerGraph', id, options ?? {}) as Promise<RetainerGraph | null>;
  }

  /** Stops the work wherever it is; pending requests fail with a 'cancelled' error. */
  async cancel(): Promise<void> {
    this.close(new SnapshotError('cancelled', 'the analysis was cancelled', -1));
    await this.worker.terminate();
  }

  dispose(): Promise<void> {
    return this.cancel();
  }

  private query(method: QueryMethod, ...args: unknown[]): Promise<unknown> {
    return this.request({ type: 'query', method, args });
  }

  private request(body: WithoutId<WorkerRequest>): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  /** Runs a leak hunt (the worker must be the hunt worker). */
  hunt(spec: HuntSpec): Promise<HuntOutcome> {
    return this.request({ type: 'hunt', spec }) as Promise<HuntOutcome>;
  }

  /** A live hunt in a running program: the baseline now, snapshots on demand, then the analysis. */
  liveStart(address: InspectorAddress, trackAllocations = true): Promise<void> {
    return this.request({ type: 'liveStart', address, trackAllocations }) as Promise<void>;
  }

  /** Resolves to the number of snapshots taken after the baseline. */
  liveSnapshot(): Promise<number> {
    return this.request({ type: 'liveSnapshot' }) as Promise<number>;
  }

  liveFinish(): Promise<HuntOutcome> {
    return this.request({ type: 'liveFinish' }) as Promise<HuntOutcome>;
  }

  /** The heap object behind an expression and a snapshot around it; later queries are about that snapshot. */
  whyIsThisAlive(address: InspectorAddress, expression: string, callFrameId?: string, afterResolve?: string): Promise<{ id: number }> {
    return this.request({ type: 'why', address, expression, callFrameId, afterResolve }) as Promise<{ id: number }>;
  }

  /**
   * A snapshot of a running program and its classes by retained size, with their growth
   * since this worker's previous overview; later queries are about this snapshot.
   */
  overview(address: InspectorAddress): Promise<ClassRow[]> {
    return this.request({ type: 'overview', address }) as Promise<ClassRow[]>;
  }

  /** Holds a running hunt before its next iteration, or lets it go on. */
  pause(): void {
    if (!this.closed) this.worker.postMessage({ type: 'pause' });
  }

  resume(): void {
    if (!this.closed) this.worker.postMessage({ type: 'resume' });
  }

  /** Asks a running hunt to stop; it cleans up its debuggee, then its request fails. */
  abort(): void {
    if (!this.closed) this.worker.postMessage({ type: 'abort' });
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'progress') {
      this.onProgress?.(m);
      return;
    }
    if (m.type === 'output') {
      this.onOutput?.(m.text);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.value);
    else if (m.code && m.code !== 'internal') p.reject(new SnapshotError(m.code, m.message.replace(/ \(at byte \d+\)$/, ''), m.offset ?? -1));
    else p.reject(new Error(m.message));
  }

  private close(e: Error): void {
    if (this.closed) return;
    this.closed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
