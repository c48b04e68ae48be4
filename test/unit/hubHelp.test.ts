// The loading thread's help with the semidominator step (src/core/graph/hubHelp.ts): the
// numbers of the hubs' retainers written beforehand, for all, some or none of the hubs, give
// the dominators the step gives alone. Random graphs with a few nodes retained by many, the
// hub threshold low so that small graphs have hubs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDominatorsFrom } from '../../src/core/graph/dominators';
import { buildRetainersFrom } from '../../src/core/graph/retainers';
import { edgeOwnerBlocks } from '../../src/core/graph/edgeOwners';
import { helpHubs, hubHelp } from '../../src/core/graph/hubHelp';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

test('hub numbers written by the helper, for any share of the hubs, give the dominators of the step alone', () => {
  const r = rng(5);
  let helped = 0;
  for (let round = 0; round < 400; round++) {
    const n = 3 + Math.floor(r() * 80);
    const hubs = [0, 1, 2].map(() => Math.floor(r() * n));
    const firstEdge = new Uint32Array(n + 1);
    const targets: number[] = [];
    for (let o = 0; o < n; o++) {
      firstEdge[o] = targets.length;
      const out = Math.floor(r() * 4);
      for (let i = 0; i < out; i++) targets.push(r() < 0.4 ? hubs[i % 3] : Math.floor(r() * n));
    }
    firstEdge[n] = targets.length;
    const edgeTarget = Uint32Array.from(targets);
    const m = edgeTarget.length;
    const essential = new Uint8Array((m + 7) >>> 3);
    for (let e = 0; e < m; e++) if (r() < 0.85) essential[e >>> 3] |= 1 << (e & 7);
    const retainers = buildRetainersFrom(n, edgeTarget, false);
    const owners = edgeOwnerBlocks(firstEdge, n, m);
    const root = Math.floor(r() * 3) % n;
    const alone = computeDominatorsFrom(n, root, firstEdge, edgeTarget, retainers, essential);
    // The helper before the step (all it has room for), never, or told the step is already lower.
    for (const way of ['before', 'never', 'late'] as const) {
      const got = computeDominatorsFrom(n, root, firstEdge, edgeTarget, retainers, essential, {
        onSearched(num) {
          const help = hubHelp(n, m, num, 2);
          if (way === 'late') Atomics.store(help.ctl, 1, Math.floor(r() * n));
          if (way !== 'never') helped += helpHubs(help, firstEdge, owners, retainers, essential);
          return help;
        },
      });
      assert.deepEqual(got.idom, alone.idom, `round ${round}, helper ${way}: dominators`);
      assert.deepEqual(got.order, alone.order, `round ${round}, helper ${way}: DFS order`);
    }
  }
  assert.ok(helped > 500, `only ${helped} hubs were helped`);
});
