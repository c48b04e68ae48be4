// The hunt's iterations in one evaluation, each in its own frame, with the snapshot after them
// (harness.ts framed; src/core/leaks/births.ts reads the births from the allocation traces).
// Between two iterations there is then no heap-stats push to wait for: on a 100 MB heap each is
// most of a second, and the marks need one between every two iterations (docs/v8-facts.md).
// Only for units that make no async resource (their work would go on outside their frame and
// between units), with allocation tracking on, and where the target runs the harness.

import type { HuntTarget } from '../inspector/target';
import type { TakeSnapshotOptions } from '../inspector/snapshot';
import type { HeapSnapshot } from '../core/snapshot';
import type { FinalAnalysis } from './finalAnalysis';
import type { HuntProgress } from './hunt';

/** Bytes per heap object, to guess the count from the heap's size (the big heap: 100 MB, 2.4 M objects). */
const BYTES_PER_OBJECT = 40;

/** About how many objects the heap holds now (0 when V8 does not say): only to boot the analysis early. */
export async function estimatedObjects(target: HuntTarget): Promise<number> {
  const usage = await target.client.send('Runtime.getHeapUsage').catch(() => null);
  return usage ? Math.round(usage.usedSize / BYTES_PER_OBJECT) : 0;
}

/**
 * The framed run and its snapshot, or null when it was not made (the warm-ups were not pure, no
 * pipes) or a unit turned out not to be pure (the run stopped there, without a snapshot: the
 * hunt goes on with its marks, and what ran counts as more warm-up).
 */
export async function framedRun(
  target: HuntTarget,
  N: number,
  report: (p: Omit<HuntProgress, 'iterations'>) => void,
  snapshotOptions: TakeSnapshotOptions,
  state: { tracking: boolean },
  final: FinalAnalysis,
  heapObjects: number,
): Promise<HeapSnapshot | null> {
  const parser = final.parser(heapObjects);
  const run = await target.runFramed!(N, parser, {
    ...snapshotOptions,
    onStart: () => report({ step: 'iteration', iteration: N }),
    // The snapshot is the final one as soon as it is written: tracking ends right after it.
    onFirstByte: () => {
      if (!state.tracking) return;
      state.tracking = false;
      void target.endTracking().catch(() => undefined);
    },
  });
  return run?.written ? parser.end() : null;
}
