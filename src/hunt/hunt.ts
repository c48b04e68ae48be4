// The leak hunt: repeat one unit of work, snapshot after each, and keep what keeps growing.
// Snapshots stream straight from CDP into the parser; only a small digest of each is kept,
// and the last one in full for the analysis. Allocation tracking is on for the whole hunt
// and is switched off on every way out.

import type { HuntTarget } from '../inspector/target';
import { abortError } from '../inspector/errors';
import { DEFAULTS } from '../contracts/defaults';
import { SnapshotParser } from '../core/parser';
import { HeapSnapshot } from '../core/snapshot';
import { HeapAnalysis } from '../core/graph/analysis';
import { analyzeParallel } from '../core/graph/parallel';
import { digestSnapshot, SnapshotDigest } from '../core/leaks/digest';
import { detectLeaks, huntDistances, LeakCandidateGroup } from '../core/leaks/detect';

export interface HuntOptions {
  iterations?: number;
  warmup?: number;
  trackAllocations?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: HuntProgress) => void;
  /** Awaited before each iteration: a paused hunt (a debug session's Pause) waits here. */
  gate?: () => Promise<void>;
}

export interface HuntProgress {
  step: 'setup' | 'warmup' | 'baseline' | 'iteration' | 'snapshot' | 'analysis';
  iteration?: number;
  iterations: number;
  /** Snapshot bytes streamed so far, during a snapshot. */
  bytes?: number;
}

export interface HuntResult {
  leaks: LeakCandidateGroup[];
  analysis: HeapAnalysis;
  /** Distances that skip the harness object: the ones paths are drawn along. */
  distance: Int32Array;
  baseline: SnapshotDigest;
  digests: SnapshotDigest[];
  iterations: number;
}

export async function hunt(target: HuntTarget, options: HuntOptions = {}): Promise<HuntResult> {
  const N = options.iterations ?? DEFAULTS.iterations;
  const warmup = options.warmup ?? DEFAULTS.warmup;
  if (!Number.isInteger(N) || N < 2) throw new Error('a hunt needs at least 2 iterations');
  const report = (p: Omit<HuntProgress, 'iterations'>): void => options.onProgress?.({ ...p, iterations: N });
  const check = (): void => {
    if (options.signal?.aborted) throw abortError(options.signal, 'the hunt');
  };
  const snapshot = async (): Promise<HeapSnapshot> => {
    const parser = new SnapshotParser();
    let bytes = 0;
    await target.takeSnapshot({ write: (chunk) => { bytes += chunk.length; parser.write(chunk); } }, {
      signal: options.signal,
      onProgress: () => report({ step: 'snapshot', bytes }),
    });
    return parser.end();
  };
  const tracking = options.trackAllocations ?? DEFAULTS.trackAllocations;
  try {
    report({ step: 'setup' });
    await target.runSetup();
    if (tracking) await target.startTracking();
    report({ step: 'warmup' });
    if (warmup > 0) await target.runWarmup(warmup);
    check();
    report({ step: 'baseline' });
    const baseline = digestSnapshot(await snapshot());
    const digests: SnapshotDigest[] = [];
    let last: HeapSnapshot | null = null;
    for (let i = 1; i <= N; i++) {
      await options.gate?.();
      check();
      report({ step: 'iteration', iteration: i });
      await target.runIteration();
      last = null;   // let the previous snapshot go before the next one arrives
      last = await snapshot();
      digests.push(digestSnapshot(last));
    }
    if (tracking) await target.stopTracking();
    report({ step: 'analysis' });
    const analysis = await analyzeParallel(last!);
    const distance = huntDistances(analysis);
    const leaks = detectLeaks(baseline, digests, analysis, { distance });
    return { leaks, analysis, distance, baseline, digests, iterations: N };
  } finally {
    if (tracking) await target.stopTracking().catch(() => undefined);
  }
}
