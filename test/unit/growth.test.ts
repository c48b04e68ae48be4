// Growth evidence from V8's heap-stats fragments (src/hunt/growth.ts): a family whose older
// iterations lost their members, in iterations whose objects were freed after their mark, is
// being replaced (a bounded cache), not kept. The marks are as V8 pushes them: one fragment per
// push, live counts per fragment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReplaced, isReplacedByAllocations, iterationSurvival, keptLeaks } from '../../src/hunt/growth';
import type { LeakCandidateGroup } from '../../src/core/leaks/detect';
import type { ObjectMark } from '../../src/inspector/marks';

/** A mark at push `fragment` with these live counts per fragment. */
function mark(fragment: number, counts: number[]): ObjectMark {
  return { id: 1000 + fragment, liveCount: 0, liveSize: 0, fragment, fragmentCounts: counts, seq: fragment };
}

function family(bornPerIteration: number[]): LeakCandidateGroup {
  return { className: 'CacheEntry', bornPerIteration } as unknown as LeakCandidateGroup;
}

// Fragment 0: the heap before the hunt; then one push per iteration (the start mark is push 0).
// An LRU of 500 filled by setup, 200 entries (about 3 objects each) inserted per iteration:
// iteration 1's 600 objects are down to 300 at the third mark.
const lruMarks = [mark(1, [9000, 600]), mark(2, [8800, 600, 600]), mark(3, [8600, 300, 600, 600])];
// A leak of 50 records an iteration: what each iteration made stays.
const leakMarks = [mark(1, [9000, 150]), mark(2, [9000, 150, 150]), mark(3, [9000, 150, 150, 150])];
const start = mark(0, [9000]);

test('survival per iteration: at its own mark and at the last', () => {
  assert.deepEqual(iterationSurvival(start, lruMarks), {
    atOwnMark: [600, 600, 600],
    atLastMark: [300, 600, 600],
  });
  // Several pushes in one iteration: its fragments are added up.
  const twoPushes = [mark(2, [9000, 100, 50]), mark(3, [9000, 100, 50, 70])];
  assert.deepEqual(iterationSurvival(start, twoPushes), { atOwnMark: [150, 70], atLastMark: [150, 70] });
  // Fragments that are not ours (tracking was on before the hunt): no figures at all.
  assert.equal(iterationSurvival(start, [{ ...lruMarks[0], fragmentCounts: null }]), null);
});

test('a bounded cache replacing its entries is not a leak; a leak, a late one and a noisy one are', () => {
  // 4 iterations: survivors from the last 2.5 only.
  const lru = family([0, 100, 200, 200]);
  assert.equal(isReplaced(lru, iterationSurvival(start, lruMarks)!), true);
  // The same births with no objects freed after their mark: nothing was replaced, so it stays.
  assert.equal(isReplaced(lru, iterationSurvival(start, leakMarks)!), false);
  // A steady leak, and one whose last iteration keeps a few extra temporaries.
  assert.equal(isReplaced(family([50, 50, 50, 50]), iterationSurvival(start, lruMarks)!), false);
  assert.equal(isReplaced(family([50, 50, 50, 100]), iterationSurvival(start, lruMarks)!), false);
  assert.deepEqual(
    keptLeaks([lru, family([50, 50, 50, 50])], start, lruMarks).map((g) => g.bornPerIteration),
    [[50, 50, 50, 50]],
  );
  // Two iterations say nothing about turnover.
  assert.equal(isReplaced(family([0, 200]), iterationSurvival(start, lruMarks.slice(0, 1))!), false);
});

// A framed hunt has no fragments: V8's allocation counts at the family's sites, per iteration's
// frame, stand for what each iteration made (src/core/leaks/births.ts iterationAllocations).
test('framed: a cache replacing its entries is not a leak; leaks, growing ones too, are', () => {
  // The LRU at 4 iterations: 200 entries made in each, survivors from the last 2.5 only.
  assert.equal(isReplacedByAllocations([0, 100, 200, 200], [200, 200, 200, 200]), true);
  // The same survivors, but each iteration made only what it kept: nothing was replaced.
  assert.equal(isReplacedByAllocations([0, 100, 200, 200], [0, 100, 200, 200]), false);
  // A steady leak with temporaries (its function makes three objects for each it keeps).
  assert.equal(isReplacedByAllocations([50, 50, 50, 50], [200, 200, 200, 200]), false);
  // A leak whose births grow (each iteration keeps more than the one before), temporaries and all.
  assert.equal(isReplacedByAllocations([10, 20, 40, 80], [40, 80, 160, 320]), false);
  // Two iterations say nothing about turnover; counts of another length are not these iterations'.
  assert.equal(isReplacedByAllocations([0, 200], [200, 200]), false);
  assert.equal(isReplacedByAllocations([0, 100, 200, 200], [200, 200]), false);
});
