// The dominator thread starts its search before the strings are read and takes the strings'
// rules in whenever they come (LateRules in src/core/graph/dominators.ts): at any vertex of the
// search, or after it. Wherever they come, the search must end as the search over the final
// edges from the start would: the same DFS order and the same dominators. Random graphs, the
// rules taken in at every possible moment, both kinds of rule: one that only drops edges (a
// WeakMap's), and one that may change any edge (DOM trees, after which the search restarts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDominatorsFrom, LateRules } from '../../src/core/graph/dominators';
import { buildRetainersFrom } from '../../src/core/graph/retainers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

interface Graph {
  n: number;
  root: number;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  owner: number[];
}

function randomGraph(r: () => number): Graph {
  const n = 2 + Math.floor(r() * 60);
  const firstEdge = new Uint32Array(n + 1);
  const targets: number[] = [];
  const owner: number[] = [];
  for (let o = 0; o < n; o++) {
    firstEdge[o] = targets.length;
    const out = Math.floor(r() * 4);
    for (let i = 0; i < out; i++) {
      targets.push(Math.floor(r() * n));
      owner.push(o);
    }
  }
  firstEdge[n] = targets.length;
  return { n, root: Math.floor(r() * 3) % n, firstEdge, edgeTarget: Uint32Array.from(targets), owner };
}

const bitsOf = (edges: number, on: (e: number) => boolean): Uint8Array => {
  const bits = new Uint8Array((edges + 7) >>> 3);
  for (let e = 0; e < edges; e++) if (on(e)) bits[e >>> 3] |= 1 << (e & 7);
  return bits;
};

test('the strings’ rules taken in at any moment of the search give the search over the final edges', () => {
  const r = rng(7);
  let rounds = 0;
  let rewound = 0;
  for (let round = 0; round < 300; round++) {
    const g = randomGraph(r);
    const m = g.edgeTarget.length;
    const counts = Array.from({ length: m }, () => r() < 0.8);
    const final = bitsOf(m, (e) => counts[e]);
    const retainers = buildRetainersFrom(g.n, g.edgeTarget, false);
    const expected = computeDominatorsFrom(g.n, g.root, g.firstEdge, g.edgeTarget, retainers, final.slice());
    // Even rounds: a WeakMap-like rule, which only drops edges; odd: a DOM-tree-like rule.
    const dropsOnly = round % 2 === 0;
    const early = dropsOnly ? bitsOf(m, (e) => counts[e] || r() < 0.5) : bitsOf(m, () => r() < 0.8);
    for (let comeAt = 0; comeAt <= g.n + 1; comeAt++) {
      const bits = early.slice();
      let looks = 0;
      const late: LateRules = {
        apply(reachedThrough, wait) {
          if (!wait && looks++ < comeAt) return undefined;
          let from = dropsOnly ? 0 : 1;
          for (let e = 0; e < m; e++) {
            const was = (bits[e >>> 3] & (1 << (e & 7))) !== 0;
            if (dropsOnly && was && !counts[e]) {
              const at = reachedThrough(g.owner[e], g.edgeTarget[e]);
              if (at > 0 && (from === 0 || at < from)) from = at;
            }
          }
          bits.set(final);
          if (from > 0) rewound++;
          return from;
        },
        retainers: () => ({ retainers }),
      };
      const got = computeDominatorsFrom(g.n, g.root, g.firstEdge, g.edgeTarget, late, bits, {
        lateRulesSteps: 1,
      });
      assert.deepEqual(got.order, expected.order, `round ${round}, rules at look ${comeAt}: DFS order`);
      assert.deepEqual(got.idom, expected.idom, `round ${round}, rules at look ${comeAt}: dominators`);
      rounds++;
    }
  }
  assert.ok(rounds > 3000, `only ${rounds} cases`);
  assert.ok(rewound > 1000, `only ${rewound} cases took the search up again`);
});
