// The leak hunt: repeat one unit of work, and keep what was born in (nearly) every
// iteration and is still alive. One full snapshot only, at the end: while V8 tracks heap
// objects, its heap-stats pushes hand out object ids from one increasing counter, so the
// highest id after each iteration (a "mark", src/inspector/snapshot.ts markObjectIds) tells,
// from the final snapshot alone, in which iteration every surviving object was born
// (docs/v8-facts.md). The final snapshot is the one V8 streams when tracking stops, so
// tracking is off the moment it is done, and is switched off on every other way out too.

import type { HuntTarget } from '../inspector/target';
import { abortError } from '../inspector/errors';
import type { SnapshotProgress } from '../inspector/snapshot';
import { DEFAULTS } from '../contracts/defaults';
import { SnapshotParser } from '../core/parser';
import { HeapAnalysis } from '../core/graph/analysis';
import { analyzeParallel } from '../core/graph/parallel';
import { BirthMarks, detectLeaks, huntDistances, LeakCandidateGroup } from '../core/leaks/detect';

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
  step: 'setup' | 'warmup' | 'iteration' | 'snapshot' | 'analysis';
  iteration?: number;
  iterations: number;
  /** During the snapshot: V8's own progress (objects serialised of the total). */
  snapshot?: SnapshotProgress;
}

export interface HuntResult {
  leaks: LeakCandidateGroup[];
  analysis: HeapAnalysis;
  /** Distances that skip the harness object: the ones paths are drawn along. */
  distance: Int32Array;
  marks: BirthMarks;
  iterations: number;
}

export async function hunt(target: HuntTarget, options: HuntOptions = {}): Promise<HuntResult> {
  const N = options.iterations ?? DEFAULTS.iterations;
  const warmup = options.warmup ?? DEFAULTS.warmup;
  if (!Number.isInteger(N) || N < 2) throw new Error('a hunt needs at least 2 iterations');
  const { signal } = options;
  const report = (p: Omit<HuntProgress, 'iterations'>): void => options.onProgress?.({ ...p, iterations: N });
  const check = (): void => {
    if (signal?.aborted) throw abortError(signal, 'the hunt');
  };
  let tracking = false;
  try {
    report({ step: 'setup' });
    await target.runSetup();
    // Object tracking is needed for the marks even without allocation stacks.
    tracking = true;
    await target.startTracking(options.trackAllocations ?? DEFAULTS.trackAllocations);
    report({ step: 'warmup' });
    if (warmup > 0) await target.runWarmup(warmup);
    check();
    const start = await target.markObjectIds(signal);
    const ends: number[] = [];
    for (let i = 1; i <= N; i++) {
      await options.gate?.();
      check();
      report({ step: 'iteration', iteration: i });
      await target.runIteration();
      ends.push(await target.markObjectIds(signal));
    }
    check();
    report({ step: 'snapshot', snapshot: { done: 0, total: 0, finished: false } });
    const parser = new SnapshotParser();
    await target.takeFinalSnapshot(parser, {
      signal,
      onProgress: (p) => report({ step: 'snapshot', snapshot: p }),
    });
    tracking = false;
    const snapshot = parser.end();
    report({ step: 'analysis' });
    const analysis = await analyzeParallel(snapshot);
    const distance = huntDistances(analysis);
    const marks: BirthMarks = { start, ends };
    const leaks = detectLeaks(
      { maxId: start },
      ends.map((maxId) => ({ maxId })),
      analysis,
      { distance },
    );
    return { leaks, analysis, distance, marks, iterations: N };
  } finally {
    if (tracking) await target.stopTracking().catch(() => undefined);
  }
}
