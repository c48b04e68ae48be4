// Growth evidence without a snapshot per iteration: a leak keeps what every iteration made,
// while a bounded structure (an LRU cache, a ring buffer) replaces its oldest entries with new
// ones. The final snapshot shows which members of a leak survive from each iteration; V8's
// heap-stats fragments (src/inspector/marks.ts) show how many objects of each iteration were
// alive at that iteration's own mark and how many still are at the last one. A family whose
// older iterations left far fewer survivors than its newer ones, in iterations that did lose
// at least that many objects after their mark, is being replaced, not kept: it is no leak.
// (BLeak's other half, "the count kept growing", read before from a snapshot per iteration.)

import type { LeakCandidateGroup } from '../core/leaks/detect';
import type { ObjectMark } from '../inspector/marks';
import type { HeapSnapshot } from '../core/snapshot';
import { FrameBirths, iterationAllocations } from '../core/leaks/births';

/** Live objects born in each iteration (index 0 = iteration 1): at its own mark, and at the last. */
export interface IterationSurvival {
  atOwnMark: number[];
  atLastMark: number[];
}

/**
 * Per-iteration survival from the marks, or null when V8's fragments cannot be read as ours.
 * `ends` may stop short of the last iterations (a scripted hunt has no mark after its last):
 * those have no survival figures.
 */
export function iterationSurvival(start: ObjectMark, ends: ObjectMark[]): IterationSurvival | null {
  const last = ends[ends.length - 1];
  if (!last?.fragmentCounts || ends.some((m) => !m.fragmentCounts)) return null;
  const sum = (counts: number[], from: number, to: number): number => {
    let n = 0;
    for (let k = from + 1; k <= to; k++) n += counts[k] ?? 0;
    return n;
  };
  const atOwnMark: number[] = [];
  const atLastMark: number[] = [];
  let prev = start.fragment;
  for (const m of ends) {
    atOwnMark.push(sum(m.fragmentCounts!, prev, m.fragment));
    atLastMark.push(sum(last.fragmentCounts, prev, m.fragment));
    prev = m.fragment;
  }
  return { atOwnMark, atLastMark };
}

/** Whether a family's members are being replaced (see the top of this file). */
export function isReplaced(group: LeakCandidateGroup, survival: IterationSurvival): boolean {
  const born = group.bornPerIteration;
  const N = born.length;
  if (N < 3) return false;
  const half = Math.floor(N / 2);
  let older = 0;
  let newer = 0;
  let freed = 0;
  if (survival.atOwnMark.length < half) return false;
  for (let i = 0; i < half; i++) {
    older += born[i];
    newer += born[N - 1 - i];
    freed += Math.max(0, survival.atOwnMark[i] - survival.atLastMark[i]);
  }
  const missing = newer - older;
  return older * 2 < newer && freed >= missing;
}

/** The leaks without the families that are being replaced. */
export function keptLeaks(
  leaks: LeakCandidateGroup[],
  start: ObjectMark,
  ends: ObjectMark[],
): LeakCandidateGroup[] {
  const survival = iterationSurvival(start, ends);
  return survival ? leaks.filter((g) => !isReplaced(g, survival)) : leaks;
}

/**
 * A framed hunt's version (framed.ts: no marks, so no fragments): what V8's allocation trace
 * counts at the family's sites in each iteration (births.ts iterationAllocations) stands for
 * what each iteration made. Replaced: the older iterations left far fewer survivors than the
 * newer ones, though they made about as much there (at least half: a leak whose births grow
 * makes more there in its newer iterations), and lost at least the difference.
 * Those counts include the same functions' temporaries, which the fragments do not.
 */
export function isReplacedByAllocations(born: readonly number[], allocated: readonly number[]): boolean {
  const N = born.length;
  if (N < 3 || allocated.length !== N) return false;
  const half = Math.floor(N / 2);
  let older = 0;
  let newer = 0;
  let madeOlder = 0;
  let madeNewer = 0;
  for (let i = 0; i < half; i++) {
    older += born[i];
    newer += born[N - 1 - i];
    madeOlder += allocated[i];
    madeNewer += allocated[N - 1 - i];
  }
  return older * 2 < newer && madeOlder * 2 >= madeNewer && madeOlder - older >= newer - older;
}

/** The leaks of a framed hunt without the families that are being replaced. */
export function keptFramed(
  leaks: LeakCandidateGroup[],
  s: HeapSnapshot,
  births: FrameBirths,
  N: number,
): LeakCandidateGroup[] {
  return leaks.filter(
    (g) => !isReplacedByAllocations(g.bornPerIteration, iterationAllocations(s, births, g.members, N)),
  );
}
