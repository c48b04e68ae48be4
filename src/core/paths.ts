// Retainer paths: the chain of references from a GC root down to an object, the answer to
// "why is this still alive?". The shortest one follows distances downhill (each step to a
// retainer one closer to the roots); alternatives go through the object's other retainers;
// "ignore this retainer" searches backwards from the object around the ignored nodes.

import { HeapAnalysis } from './graph/analysis';

/** A path as edge ordinals, from the root's edge first to the edge into the target. */
export interface RetainerPath {
  /** Node ordinals from the root (index 0) to the target (last). */
  nodes: number[];
  /** edges[i] goes from nodes[i] to nodes[i+1]. */
  edges: number[];
}

/**
 * Ranks an edge as a way to show a person why something is retained: named references in
 * their code first, V8-internal plumbing last. Some properties appear twice (the named edge
 * and again inside the owner's property storage); the named one must win.
 */
function edgePreference(a: HeapAnalysis, e: number): number {
  const k = a.kinds;
  const t = a.snapshot.edgeType[e];
  if (t === k.eProperty) return 0;
  if (t === k.eContext) return 1;
  if (t === k.eElement) return 2;
  if (t === k.eShortcut) return 3;
  if (t === k.eInternal) return 4;
  return 5;
}

/**
 * The best retaining edge one step closer to the roots, or -1 when there is none.
 * `skipped` edges (one byte per edge) are never taken.
 */
function stepTowardRoot(a: HeapAnalysis, node: number, distance: Int32Array, skipped?: Uint8Array): number {
  const { firstRetainer, retainerEdge } = a.retainers;
  const d = distance[node];
  const root = a.snapshot.rootOrdinal;
  // Objects the program's globals reach sit at 1, 2, 3…; the root itself sits at the
  // system base, so a user-side distance of 1 steps straight to the root.
  const want = d === 1 ? distance[root] : d - 1;
  let best = -1;
  let bestRank = 99;
  for (let i = firstRetainer[node]; i < firstRetainer[node + 1]; i++) {
    const e = retainerEdge[i];
    if (a.snapshot.edgeType[e] === a.kinds.eWeak || skipped?.[e]) continue;
    const from = a.snapshot.edgeOwner(retainerEdge[i]);
    if (distance[from] !== want) continue;
    if (d === 1 && from !== root) continue;
    const rank = edgePreference(a, e);
    if (rank < bestRank) {
      best = i;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * The shortest path from a GC root to `target`, or null when nothing retains it.
 * `distance` defaults to the snapshot's; the hunt passes distances that skip its harness,
 * "Why is this alive?" while paused distances (and `skipped` edges) that skip the pause's own.
 */
export function shortestRetainerPath(
  a: HeapAnalysis,
  target: number,
  distance: Int32Array = a.distance,
  skipped?: Uint8Array,
): RetainerPath | null {
  const root = a.snapshot.rootOrdinal;
  const d = distance[target];
  if (d < 0) return null;
  const nodes = [target];
  const edges: number[] = [];
  let v = target;
  while (v !== root) {
    const i = stepTowardRoot(a, v, distance, skipped);
    if (i < 0) return null;
    edges.push(a.retainers.retainerEdge[i]);
    v = a.snapshot.edgeOwner(a.retainers.retainerEdge[i]);
    nodes.push(v);
    if (nodes.length > 1e6) return null;
  }
  nodes.reverse();
  edges.reverse();
  return { nodes, edges };
}

/**
 * Up to `k` paths that differ in how they reach the target: one through each of its closest
 * distinct retainers, shortest first.
 */
export function retainerPaths(
  a: HeapAnalysis,
  target: number,
  k: number,
  distance: Int32Array = a.distance,
  skipped?: Uint8Array,
): RetainerPath[] {
  const { firstRetainer, retainerEdge } = a.retainers;
  const candidates: { edge: number; from: number; rank: number }[] = [];
  const seen = new Set<number>();
  for (let i = firstRetainer[target]; i < firstRetainer[target + 1]; i++) {
    const e = retainerEdge[i];
    const from = a.snapshot.edgeOwner(retainerEdge[i]);
    if (a.snapshot.edgeType[e] === a.kinds.eWeak || skipped?.[e] || from === target || seen.has(from))
      continue;
    if (distance[from] < 0) continue;
    seen.add(from);
    // System-side distances start at the base, so they rank after every user-side path.
    const dist = from === a.snapshot.rootOrdinal ? 0 : distance[from];
    candidates.push({ edge: e, from, rank: dist * 8 + edgePreference(a, e) });
  }
  candidates.sort((x, y) => x.rank - y.rank);
  const paths: RetainerPath[] = [];
  for (const c of candidates) {
    if (paths.length >= k) break;
    if (c.from === a.snapshot.rootOrdinal) {
      paths.push({ nodes: [c.from, target], edges: [c.edge] });
      continue;
    }
    const head = shortestRetainerPath(a, c.from, distance, skipped);
    if (!head || head.nodes.includes(target)) continue;
    paths.push({ nodes: [...head.nodes, target], edges: [...head.edges, c.edge] });
  }
  return paths;
}

/**
 * The shortest path that avoids the `ignored` nodes (and never takes a `skipped` edge), found
 * by a breadth-first search backwards from the target over non-weak retainers. Used for
 * "ignore this retainer".
 */
export function retainerPathAvoiding(
  a: HeapAnalysis,
  target: number,
  ignored: Set<number>,
  skipped?: Uint8Array,
): RetainerPath | null {
  const root = a.snapshot.rootOrdinal;
  const { firstRetainer, retainerEdge } = a.retainers;
  const via = new Map<number, number>(); // node → retainer slot used to reach it from the target side
  const queue = [target];
  via.set(target, -1);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    if (v === root) break;
    for (let i = firstRetainer[v]; i < firstRetainer[v + 1]; i++) {
      if (a.snapshot.edgeType[retainerEdge[i]] === a.kinds.eWeak || skipped?.[retainerEdge[i]]) continue;
      const from = a.snapshot.edgeOwner(retainerEdge[i]);
      if (via.has(from) || ignored.has(from)) continue;
      via.set(from, i);
      queue.push(from);
    }
  }
  if (!via.has(root)) return null;
  const nodes = [root];
  const edges: number[] = [];
  let v = root;
  while (v !== target) {
    const i = via.get(v)!;
    edges.push(retainerEdge[i]);
    v = a.snapshot.edgeTarget[retainerEdge[i]];
    nodes.push(v);
  }
  return { nodes, edges };
}

/**
 * V8 hangs its "(GC roots)" node under a nameless synthetic root, which Heap Lens also calls
 * "(GC roots)": a path through both starts at V8's node instead, so the name appears once.
 */
export function trimRoot(a: HeapAnalysis, p: RetainerPath): RetainerPath {
  const s = a.snapshot;
  if (
    p.nodes.length > 1 &&
    p.nodes[0] === s.rootOrdinal &&
    s.nodeType[p.nodes[1]] === a.kinds.synthetic &&
    s.nodeNameString(p.nodes[1]) === '(GC roots)'
  ) {
    return { nodes: p.nodes.slice(1), edges: p.edges.slice(1) };
  }
  return p;
}
