// Immediate dominators by Lengauer–Tarjan ("A fast algorithm for finding dominators in a
// flowgraph", 1979, the simple eval/link variant), over essential edges only.
//
// A heap graph is not a clean flowgraph: some nodes are reachable only through weak edges,
// and some cliques only through each other. Those are hung under the root the way Chrome
// DevTools does it (nodes with no essential retainer are searched from the root as if the
// root pointed at them; anything still unvisited becomes a direct child of the root), so
// retained sizes agree with DevTools on every node, not only on the reachable ones.
//
// Vertices are numbered from 1 (DFS order) so that 0 can mean "none", as in the paper.

import type { HeapSnapshot } from '../snapshot';
import { Retainers } from './retainers';

export interface Dominators {
  /** Immediate dominator ordinal of each node; the root is its own. */
  idom: Uint32Array;
  /** Memory the search no longer needs, at least 8 bytes a node: retainedSizes() writes there. */
  spare: ArrayBufferLike;
  /** Node ordinals in DFS preorder from the root (a dominator always precedes what it dominates). */
  order: Uint32Array;
}

export function computeDominators(s: HeapSnapshot, r: Retainers, essential: Uint8Array): Dominators {
  return computeDominatorsFrom(s.nodeCount, s.rootOrdinal, s.firstEdge, s.edgeTarget, r, essential);
}

/** The same from the bare arrays (the dominator thread has no HeapSnapshot object). */
export function computeDominatorsFrom(
  n: number,
  rootOrdinal: number,
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  r: Retainers,
  essential: Uint8Array,
  shared = false,
): Dominators {
  const { firstRetainer, retainerEdge, retainerNode } = r;
  const size = n + 1;
  // parent and semi share one buffer, which becomes the retained sizes (8 bytes a node)
  // once they are dead: one node-sized Float64Array fewer at the peak.
  const pair = shared ? new SharedArrayBuffer(size * 8) : new ArrayBuffer(size * 8);
  const parent = new Uint32Array(pair, 0, size);
  const semi = new Uint32Array(pair, size * 4, size);
  const vertex = new Uint32Array(shared ? new SharedArrayBuffer(size * 4) : new ArrayBuffer(size * 4));
  const label = new Uint32Array(size);
  const ancestor = new Uint32Array(size);
  // The two arrays that become the results live in shared memory when another thread reads them.
  const dom = new Uint32Array(shared ? new SharedArrayBuffer(size * 4) : new ArrayBuffer(size * 4));
  // During the DFS: the next edge to try for each node. Afterwards: the bucket heads.
  const scratch = new Uint32Array(size);
  let count = 0;

  const isEssential = (e: number): boolean => (essential[e >>> 3] & (1 << (e & 7))) !== 0;

  const dfs = (start: number): void => {
    scratch[start - 1] = firstEdge[start - 1];
    let v = start;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++count;
        vertex[count] = v;
        label[v] = v;
      }
      let next = parent[v];
      const o = v - 1;
      const end = firstEdge[o + 1];
      for (let e = scratch[o]; e < end; e++) {
        if (!isEssential(e)) continue;
        const w = edgeTarget[e] + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          scratch[w - 1] = firstEdge[w - 1];
          scratch[o] = e + 1;
          next = w;
          break;
        }
      }
      if (next === parent[v]) scratch[o] = end;
      v = next;
    }
  };

  const hasEssentialRetainer = (o: number): boolean => {
    for (let i = firstRetainer[o]; i < firstRetainer[o + 1]; i++)
      if (isEssential(retainerEdge[i])) return true;
    return false;
  };

  const root = rootOrdinal + 1;
  dfs(root);
  if (count < n) {
    // Reachable only through weak edges: search from each such node as a child of the root.
    for (let v = 1; v <= n; v++) {
      if (semi[v] === 0 && !hasEssentialRetainer(v - 1)) {
        parent[v] = root;
        dfs(v);
      }
    }
  }
  if (count < n) {
    // Cliques that retain only each other: each member hangs directly under the root, numbered
    // after everything else without a search, exactly as DevTools does. Their edges then never
    // lower anyone's semidominator (their numbers are the highest, and their ancestor is the
    // root), so each member ends up immediately dominated by the root and dominates nothing:
    // the dominators of the graph in which the root points at every such member.
    for (let v = 1; v <= n; v++) {
      if (semi[v] === 0) {
        parent[v] = root;
        semi[v] = ++count;
        vertex[count] = v;
        label[v] = v;
      }
    }
  }

  // The path-compression stack grows only as deep as an ancestor chain gets (short, once
  // compressed), so it is not node-sized: the DFS's scratch becomes the bucket heads instead,
  // one node-sized array fewer at the moment memory peaks.
  let stack = new Uint32Array(1024);
  const compress = (v: number): void => {
    let sp = 0;
    while (ancestor[ancestor[v]] !== 0) {
      if (++sp === stack.length) {
        const bigger = new Uint32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
      stack[sp] = v;
      v = ancestor[v];
    }
    while (sp > 0) {
      const w = stack[sp--];
      const a = ancestor[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      ancestor[w] = ancestor[a];
    }
  };
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    compress(v);
    return label[v];
  };

  // Buckets as singly linked lists: bucketHead[v] is the first vertex whose semidominator is
  // v, and while a vertex waits in a bucket its `dom` slot (not yet known) links to the next.
  const bucketHead = scratch.fill(0);
  for (let i = count; i >= 2; i--) {
    const w = vertex[i];
    const o = w - 1;
    let orphan = true;
    for (let j = firstRetainer[o]; j < firstRetainer[o + 1]; j++) {
      if (!isEssential(retainerEdge[j])) continue;
      orphan = false;
      const u = evaluate(retainerNode[j] + 1);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    // A node with no essential retainer is treated as a child of the root.
    if (orphan) semi[w] = semi[root];
    const sv = vertex[semi[w]];
    dom[w] = bucketHead[sv];
    bucketHead[sv] = w;
    const p = parent[w];
    ancestor[w] = p;
    for (let v = bucketHead[p]; v !== 0;) {
      const next = dom[v];
      const u = evaluate(v);
      dom[v] = semi[u] < semi[v] ? u : p;
      v = next;
    }
    bucketHead[p] = 0;
  }
  // A bucket is emptied only when a tree child of its vertex is processed, so the buckets of
  // the clique members (children of the root with no tree children) are never emptied. Their
  // waiting vertices' `dom` slots still hold list links; as in DevTools (where such a vertex
  // simply keeps dom 0), they must read 0, which the final pass below turns into the root.
  for (let v = 1; v < size; v++) {
    for (let w = bucketHead[v]; w !== 0;) {
      const next = dom[w];
      dom[w] = 0;
      w = next;
    }
  }
  dom[0] = root;
  dom[root] = root;
  for (let i = 2; i <= count; i++) {
    const w = vertex[i];
    if (dom[w] !== vertex[semi[w]]) dom[w] = dom[dom[w]];
  }

  // Results reuse the vertex-numbered arrays (shifted by one) rather than allocating two
  // more node-sized arrays at the moment memory is at its peak.
  for (let v = 1; v <= n; v++) dom[v - 1] = dom[v] - 1;
  for (let i = 1; i <= n; i++) vertex[i - 1] = vertex[i] - 1;
  return { idom: dom.subarray(0, n), order: vertex.subarray(0, n), spare: pair };
}

/** Retained size: own size plus everything dominated, summed children-first in reverse DFS order. */
export function retainedSizes(d: Dominators, selfSize: Float64Array, rootOrdinal: number): Float64Array {
  const retained = new Float64Array(d.spare, 0, selfSize.length);
  retained.set(selfSize);
  const { idom, order } = d;
  for (let i = order.length - 1; i > 0; i--) {
    const o = order[i];
    if (o === rootOrdinal) continue;
    retained[idom[o]] += retained[o];
  }
  return retained;
}
