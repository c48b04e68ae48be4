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
