// The dominator tree checked against its definition on random graphs: d dominates v when
// removing d makes v unreachable from the root over essential edges. Like DevTools, the
// engine hangs nodes with no essential retainer (only weak ones, or none) under the root,
// so the reference graph gets those root edges too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze } from '../../src/core/graph/analysis';
import { snapshotJson, TestEdge, TestNode } from '../helpers/graphs';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function reachable(n: number, adj: number[][], root: number, removed: number): boolean[] {
  const seen = new Array<boolean>(n).fill(false);
  if (removed === root) return seen;
  seen[root] = true;
  const stack = [root];
  while (stack.length) {
    const v = stack.pop()!;
    for (const w of adj[v])
      if (w !== removed && !seen[w]) {
        seen[w] = true;
        stack.push(w);
      }
  }
  return seen;
}

test('immediate dominators and retained sizes match the definition on random graphs', () => {
  const r = rng(11);
  let checked = 0;
  let withWeakOnlyParts = 0;
  let withUnreachableCycles = 0;
  for (let round = 0; round < 160; round++) {
    const n = 3 + Math.floor(r() * 40);
    // Node 0 is the synthetic root; plain objects elsewhere, so no DevTools rule interferes.
    const nodes: TestNode[] = [{ type: 'synthetic', name: '', size: 0 }];
    for (let i = 1; i < n; i++)
      nodes.push({ type: 'object', name: `C${i % 3}`, size: 1 + Math.floor(r() * 100) });
    const edges: TestEdge[] = [];
    // Every other round keeps a tail of nodes as an island: its members point at each other
    // (cycles) and into the rest, but only weak edges, if any, lead into it, so its parts are
    // reachable only through non-essential edges or not at all.
    const island = round % 2 === 1 ? n - Math.floor(r() * Math.min(8, n - 1)) - 1 : n;
    const pick = (from: number, to: number): number => from + Math.floor(r() * (to - from));
    const m = Math.floor(n * (1 + r() * 2));
    for (let i = 0; i < m; i++) {
      const from = Math.floor(r() * n);
      const into = from >= island && r() < 0.7 ? pick(island, n) : 1 + Math.floor(r() * (n - 1));
      const weak = r() < 0.15 || (into >= island && from < island);
      edges.push({ from, to: into, type: weak ? 'weak' : 'property', name: `p${i}` });
    }
    for (let i = island; i + 1 < n; i++)
      if (r() < 0.6) edges.push({ from: i + 1, to: i, type: 'property', name: `back${i}` });
    for (let i = 1; i < island; i++) if (r() < 0.3) edges.push({ from: 0, to: i, type: 'element', name: i });
    const p = new SnapshotParser();
    p.write(snapshotJson(nodes, edges));
    const a = analyze(p.end());

    // The flowgraph DevTools computes dominators on: essential edges, plus an edge from the
    // root to every node that has no essential retainer (reachable only through weak edges,
    // or not at all).
    const adj: number[][] = nodes.map(() => []);
    for (const e of edges) if (e.type !== 'weak' && e.from !== e.to) adj[e.from].push(e.to);
    let hooked = false;
    for (let v = 1; v < n; v++) {
      if (adj.some((out) => out.includes(v))) continue;
      adj[0].push(v);
      if (edges.some((e) => e.to === v && e.type === 'weak')) hooked = true;
    }
    const base = reachable(n, adj, 0, -1);
    // Still unreachable: members of cycles that retain only each other (and what only they
    // retain). DevTools hangs each of them directly under the root, and they dominate nothing.
    const unreachable = base.map((b) => !b);
    unreachable[0] = false;
    if (hooked) withWeakOnlyParts++;
    if (unreachable.includes(true)) withUnreachableCycles++;
    checked++;
    // For each reachable v, the set of strict dominators; the immediate one is the deepest.
    const dominators: number[][] = nodes.map(() => []);
    for (let d = 0; d < n; d++) {
      const without = reachable(n, adj, 0, d);
      for (let v = 0; v < n; v++) if (v !== d && base[v] && !without[v]) dominators[v].push(d);
    }
    for (let v = 0; v < n; v++) if (unreachable[v]) dominators[v].push(0);
    for (let v = 1; v < n; v++) {
      const idom = dominators[v].find((d) =>
        dominators[v].every((o) => o === d || dominators[d].includes(o)),
      );
      assert.equal(a.idom[v], idom, `round ${round}: idom of ${v}`);
    }
    let total = 0;
    for (let v = 0; v < n; v++) {
      total += nodes[v].size;
      let expected = 0;
      for (let w = 0; w < n; w++) if (w === v || dominators[w].includes(v)) expected += nodes[w].size;
      assert.equal(a.retainedSize[v], expected, `round ${round}: retained size of ${v}`);
    }
    assert.equal(a.retainedSize[0], total, `round ${round}: the root retains everything`);
  }
  assert.ok(checked >= 150, `only ${checked} rounds were checked`);
  assert.ok(
    withWeakOnlyParts >= 30,
    `only ${withWeakOnlyParts} rounds had parts reachable only through weak edges`,
  );
  assert.ok(withUnreachableCycles >= 30, `only ${withUnreachableCycles} rounds had unreachable cycles`);
});
