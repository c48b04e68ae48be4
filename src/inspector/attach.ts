// Attach mode: hunt in a process someone else started with `node --inspect`. The unit
// of work is an expression evaluated in it or an HTTP GET against it. We do not own
// the process, so dispose() must hand it back as we found it and healthy: tracking off,
// Debugger disabled (which also resumes it), socket closed once V8 has answered all we sent
// (connect.ts disconnect) — and never kill it.

import http from 'node:http';
import { CdpClient } from './cdp';
import { DEFAULTS } from '../contracts/defaults';
import { ConnectOptions, ConnectTarget, assertHostAllowed, connect, disconnect } from './connect';
import { InspectorError } from './errors';
import { ScriptRegistry } from './scripts';
import {
  HuntTarget,
  UnitDone,
  takeFinalSnapshot,
  takeProgramSnapshot,
  evaluateUnit,
  prepareDebuggee,
  announceScripts,
} from './target';
import * as heap from './snapshot';
import { countNotedContainers, noteContainers, readContainerNote } from './containerNote';
import { markObjectIds, ObjectMark } from './marks';
import { exitingInstead, watchForExit } from './exitWatch';

export type UnitOfWork =
  /** Evaluated in the debuggee's global scope; a returned promise is awaited. */
  | { kind: 'evaluate'; expression: string; setupExpression?: string }
  /** GET this URL (loopback unless allowRemote), read the whole body; a 5xx status fails the iteration. */
  | { kind: 'http'; url: string };

export interface AttachOptions extends ConnectOptions {
  iterationTimeoutMs?: number;
  /** The process runs on this machine (we started it): its snapshot comes through a pipe. */
  local?: boolean;
}

/** Bound on the cleanup CDP calls in dispose(): the stop-tracking snapshot can be slow on a big heap. */
const DISPOSE_TIMEOUT_MS = 60_000;

export async function attach(
  target: ConnectTarget,
  work: UnitOfWork,
  opts: AttachOptions = {},
): Promise<HuntTarget> {
  if (work.kind === 'http') {
    let u: URL;
    try {
      u = new URL(work.url);
    } catch {
      throw new InspectorError('HTTP_FAILED', `"${work.url}" is not a valid URL`);
    }
    if (u.protocol !== 'http:')
      throw new InspectorError('HTTP_FAILED', `only http:// URLs are supported, not ${u.protocol}`);
    assertHostAllowed(u.hostname, opts.allowRemote, 'the HTTP unit of work');
  }
  const client = await connect(target, opts);
  const t = new AttachedTarget(
    client,
    work,
    opts.iterationTimeoutMs ?? DEFAULTS.iterationTimeoutMs,
    opts.local ?? false,
    opts.signal,
  );
  try {
    await prepareDebuggee(client, t.scripts, { scripts: 'later' });
  } catch (e) {
    await t.dispose();
    throw e;
  }
  return t;
}

class AttachedTarget implements HuntTarget {
  readonly scripts = new ScriptRegistry();
  private disposing: Promise<void> | undefined;
  /** A process that ends mid-hunt waits for our session to go (exitWatch.ts). */
  private readonly stopWatch: () => void;

  constructor(
    readonly client: CdpClient,
    private readonly work: UnitOfWork,
    private readonly timeoutMs: number,
    private readonly local: boolean,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.stopWatch = watchForExit(client);
  }

  async runSetup(): Promise<void> {
    const w = this.work;
    if (w.kind === 'evaluate' && w.setupExpression) {
      const expr = w.setupExpression;
      await this.guard(() => evaluateUnit(this.client, expr, this.timeoutMs, 'the setup expression'));
    }
  }

  async runWarmup(k: number): Promise<void> {
    for (let i = 0; i < k; i++) await this.runIteration();
  }

  async runIteration(): Promise<UnitDone> {
    const w = this.work;
    // An expression's promise may have let the program run in between: never taken as synchronous.
    if (w.kind === 'evaluate') {
      const { seq } = await this.guard(() =>
        evaluateUnit(this.client, w.expression, this.timeoutMs, 'the expression'),
      );
      return { seq, synchronous: false };
    }
    await this.guard(() => httpUnit(w.url, this.timeoutMs));
    return { seq: -1, synchronous: false };
  }

  takeSnapshot(sink: heap.SnapshotSink, options?: heap.TakeSnapshotOptions): Promise<void> {
    return this.guard(() => takeProgramSnapshot(this.client, sink, options));
  }

  startTracking(allocations = true, onSent?: () => void): Promise<void> {
    return this.guard(() => heap.startTracking(this.client, { trackAllocations: allocations, onSent }));
  }

  markObjectIds(signal?: AbortSignal): Promise<ObjectMark> {
    // An HTTP request runs on another socket: the mark needs a round trip of its own (marks.ts).
    const afterUnit = this.work.kind === 'evaluate';
    return this.guard(() => markObjectIds(this.client, { signal, afterUnit }));
  }

  noteContainers(): Promise<void> {
    return this.guard(() => noteContainers(this.client));
  }

  countNotedContainers(): Promise<void> {
    return this.guard(() => countNotedContainers(this.client));
  }

  readContainerNote(): Promise<number[]> {
    return this.guard(() => readContainerNote(this.client));
  }

  takeFinalSnapshot(sink: heap.ByteSnapshotSink, options?: heap.TakeSnapshotOptions): Promise<void> {
    return this.guard(() => takeFinalSnapshot(this.client, sink, { ...options, local: this.local }));
  }

  stopTracking(options?: heap.StopTrackingOptions): Promise<void> {
    return heap.stopTracking(this.client, options);
  }

  endTracking(): Promise<void> {
    return heap.endTracking(this.client);
  }

  announceScripts(): Promise<void> {
    return announceScripts(this.client);
  }

  /** Failures leave the process as we found it, then propagate. */
  private async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      await this.dispose();
      throw exitingInstead(e);
    }
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.stopWatch();
      this.scripts.detach();
      const reason =
        this.client.closedBecause ?? new InspectorError('DISCONNECTED', 'the attach session was disposed');
      // Cancelled: no stop-tracking snapshot, which V8 would make for nobody (and which waits
      // behind whatever it is busy with, a snapshot it cannot stop halfway over CDP).
      if (!this.client.isClosed && !this.signal?.aborted)
        await heap.stopTracking(this.client, { idleTimeoutMs: DISPOSE_TIMEOUT_MS }).catch(() => undefined);
      // A program we started is killed next: nothing to keep healthy.
      if (this.local) this.client.close(reason);
      // Each step bounded: the answers (a cancelled write ends as soon as V8 meets our closed
      // pipe), Debugger and HeapProfiler off (which ends tracking), then the socket.
      else await disconnect(this.client, reason);
    })();
    return this.disposing;
  }
}

function httpUnit(url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // agent:false + Connection: close, so no keep-alive socket accumulates in the
    // debuggee's server between iterations and reads as growth.
    const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 500) reject(new InspectorError('HTTP_FAILED', `GET ${url} answered HTTP ${status}`));
        else resolve();
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(new InspectorError('HTTP_FAILED', `GET ${url} failed: ${e.message}`, { cause: e }));
      });
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(new InspectorError('HTTP_FAILED', `GET ${url} failed: ${e.message}`, { cause: e }));
    });
  });
}
