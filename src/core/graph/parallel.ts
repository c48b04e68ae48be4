// Analysis on two threads, as Chrome DevTools does it: while this thread marks page-owned
// objects, picks the essential edges, folds shallow sizes and measures distances, a second
// thread builds the retainers and the dominator tree. The graph is shared memory, so
// nothing is copied between them. Same code, same results as analyze(); small snapshots
// (where a thread costs more than it saves) are analysed on this thread.

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { HeapSnapshot } from '../snapshot';
import { SnapshotError } from '../errors';
import { analyze, AnalysisOptions, HeapAnalysis } from './analysis';
import { kindsOf } from './kinds';
import { essentialEdges, markPageOwned, reassignShallowSizes, WeakMapEdgeNames } from './rules';
import { computeDistances } from './distances';
import type { Retainers } from './retainers';

export interface DominatorRequest {
  type: 'graph';
  nodeCount: number;
  rootOrdinal: number;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
}

export type DominatorMessage =
  DominatorRequest | { type: 'essential'; essential: Uint8Array } | { type: 'sizes'; selfSize: Float64Array };

export type DominatorReply =
  | { type: 'retainers'; retainers: Retainers }
  | { type: 'done'; idom: Uint32Array; retainedSize: Float64Array }
  | { type: 'error'; message: string };

export interface ParallelOptions extends AnalysisOptions {
  /** Below this many nodes, one thread is faster. */
  minNodes?: number;
  threadPath?: string;
}

const DEFAULT_MIN_NODES = 100_000;

function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

export async function analyzeParallel(s: HeapSnapshot, options: ParallelOptions = {}): Promise<HeapAnalysis> {
  const threadPath = options.threadPath ?? path.join(__dirname, 'dominatorThread.js');
  const usable =
    s.nodeCount >= (options.minNodes ?? DEFAULT_MIN_NODES) &&
    isShared(s.firstEdge) &&
    isShared(s.edgeTarget) &&
    isShared(s.nodeSelfSize) &&
    fs.existsSync(threadPath);
  if (!usable) return analyze(s, options);

  const worker = new Worker(threadPath, { resourceLimits: { maxOldGenerationSizeMb: 16000 } });
  const replies: DominatorReply[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: DominatorReply) => {
    replies.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the dominator thread stopped (exit code ${code})`);
    wake?.();
  });
  const expect = async <T extends DominatorReply['type']>(
    type: T,
  ): Promise<Extract<DominatorReply, { type: T }>> => {
    for (;;) {
      const i = replies.findIndex((r) => r.type === type || r.type === 'error');
      if (i >= 0) {
        const r = replies.splice(i, 1)[0];
        if (r.type === 'error') throw new Error(`dominator thread: ${r.message}`);
        return r as Extract<DominatorReply, { type: T }>;
      }
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  };
  const step = (phase: Parameters<NonNullable<AnalysisOptions['onPhase']>>[0]): void => {
    if (options.isCancelled?.()) throw new SnapshotError('cancelled', 'analysis was cancelled', -1);
    options.onPhase?.(phase);
  };
  try {
    const send = (m: DominatorMessage): void => worker.postMessage(m);
    send({
      type: 'graph',
      nodeCount: s.nodeCount,
      rootOrdinal: s.rootOrdinal,
      firstEdge: s.firstEdge,
      edgeTarget: s.edgeTarget,
    });
    step('retainers');
    const kinds = kindsOf(s);
    step('flags');
    // One node-sized scratch array serves the three searches in turn.
    const scratch = new Uint32Array(s.nodeCount);
    const pageOwned = markPageOwned(s, kinds, scratch);
    const weakMapNames = new WeakMapEdgeNames(s.strings);
    const essential = essentialEdges(
      s,
      kinds,
      pageOwned,
      weakMapNames,
      new Uint8Array(new SharedArrayBuffer((s.edgeCount + 7) >>> 3)),
    );
    send({ type: 'essential', essential });
    step('shallow sizes');
    reassignShallowSizes(s, kinds, s.nodeSelfSize, scratch);
    send({ type: 'sizes', selfSize: s.nodeSelfSize });
    step('distances');
    const distance = computeDistances(s, kinds, weakMapNames, undefined, scratch);
    step('dominators');
    const { retainers } = await expect('retainers');
    step('retained sizes');
    const { idom, retainedSize } = await expect('done');
    return {
      snapshot: s,
      kinds,
      retainers,
      selfSize: s.nodeSelfSize,
      retainedSize,
      idom,
      distance,
      pageOwned,
      essential,
      weakMapNames,
    };
  } finally {
    await worker.terminate();
  }
}
