// Immediate dominators over essential edges only: semidominators by Lengauer–Tarjan ("A fast
// algorithm for finding dominators in a flowgraph", 1979, the simple eval/link variant), the
// dominators from them by Semi-NCA (see below).
//
// A heap graph is not a clean flowgraph: some nodes are reachable only through weak edges,
// and some cliques only through each other. Those are hung under the root the way Chrome
// DevTools does it (nodes with no essential retainer are searched from the root as if the
// root pointed at them; anything still unvisited becomes a direct child of the root), so
// retained sizes agree with DevTools on every node, not only on the reachable ones.

import type { HeapSnapshot, SelfSizes } from '../snapshot';
import { Retainers } from './retainers';
import { edgeOwnerBlocks, edgeOwnerOf } from './edgeOwners';

export interface Dominators {
  /** Immediate dominator ordinal of each node; the root is its own. */
  idom: Uint32Array;
  /** Memory the search no longer needs, at least 8 bytes a node: retainedSizes() writes there. */
  spare: ArrayBufferLike;
  /** Node ordinals in DFS preorder from the root (a dominator always precedes what it dominates). */
  order: Uint32Array;
}

export function computeDominators(s: HeapSnapshot, r: Retainers, essential: Uint8Array): Dominators {
  return computeDominatorsFrom(s.nodeCount, s.rootOrdinal, s.firstEdge, s.edgeTarget, r, essential, {
    edgeOwners: s.edgeOwnerBlocks,
  });
}

/**
 * Called once the search from the root is done, with `reachedThrough(owner, target)`: the
 * search's number for target when an edge from owner to it may be the one the search reached
 * it through, else 0. Gives the retainers (another thread may have been building them), the
 * edge owners if they came with them, and where the search must be taken up again because
 * edges stopped counting under it (1: all of it).
 */
export type AfterRootSearch = (reachedThrough: (owner: number, target: number) => number) => {
  retainers: Retainers;
  edgeOwners?: Uint32Array;
  /** 0, or the lowest number `reachedThrough` gave for an edge that stopped counting. */
  searchFrom: number;
};

/** What computeDominatorsFrom may be given rather than allocate. */
export interface SearchRoom {
  /** Whether the results go to shared memory (another thread reads them). */
  shared?: boolean;
  /** n + 1 slots: the DFS scratch. */
  scratch?: Uint32Array;
  /** The snapshot's edgeOwnerBlocks, when it has them (a quarter byte an edge not made twice). */
  edgeOwners?: Uint32Array;
}

/**
 * The same from the bare arrays (the dominator thread has no HeapSnapshot object).
 * The retainers may come as a function (AfterRootSearch), called once the search from the root
 * is done.
 */
export function computeDominatorsFrom(
  n: number,
  rootOrdinal: number,
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  retainers: Retainers | AfterRootSearch,
  essential: Uint8Array,
  room: SearchRoom = {},
): Dominators {
  const shared = room.shared ?? false;
  const scratch = room.scratch ?? new Uint32Array(n + 1);
  const size = n + 1;
  const memory = (bytes: number): ArrayBufferLike =>
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  // Everything but `num` is indexed by DFS number (1..n, 0 meaning none): a heap's DFS jumps
  // all over the node ordinals, so a vertex's own records sit together only this way, and
  // the loops over vertices walk them in order. `num` maps an ordinal to its number, and
  // ends as the immediate dominator of each ordinal (shared: another thread reads it).
  const num = new Uint32Array(memory(n * 4));
  const vertex = new Uint32Array(size);
  // The DFS tree parent, then Lengauer–Tarjan's forest link of a processed vertex, which
  // path compression shortens. An unprocessed vertex keeps its parent there.
  const ancestor = new Uint32Array(size);
  // semi and label share one buffer, which becomes the retained sizes (8 bytes a node)
  // once they are dead: one node-sized Float64Array fewer at the peak.
  const pair = memory(size * 8);
  const semi = new Uint32Array(pair, 0, size);
  const label = new Uint32Array(pair, size * 4, size);
  // During the DFS: the next edge to try of each vertex. Afterwards: the dominators.
  const nextEdge = scratch;
  let count = 0;

  const isEssential = (e: number): boolean => (essential[e >>> 3] & (1 << (e & 7))) !== 0;

  // Numbers `start` and everything reachable from it over essential edges, in preorder,
  // as a tree under vertex `parent` (0 for the root).
  const dfs = (start: number, parent: number): void => {
    const v = ++count;
    num[start] = v;
    vertex[v] = start;
    ancestor[v] = parent;
    nextEdge[v] = firstEdge[start];
    explore(v, parent);
  };
  // The search's loop, from vertex v on the way down from `parent`, until it is back there.
  const explore = (from: number, parent: number): void => {
    let v = from;
    while (v !== parent) {
      const end = firstEdge[vertex[v] + 1];
      let child = 0;
      for (let e = nextEdge[v]; e < end; e++) {
        if (!isEssential(e)) continue;
        const t = edgeTarget[e];
        if (num[t] === 0) {
          nextEdge[v] = e + 1;
          child = ++count;
          num[t] = child;
          vertex[child] = t;
          ancestor[child] = v;
          nextEdge[child] = firstEdge[t];
          break;
        }
      }
      if (child !== 0) {
        v = child;
      } else {
        nextEdge[v] = end;
        v = ancestor[v];
      }
    }
  };

  const ROOT = 1;
  dfs(rootOrdinal, 0);
  const after =
    typeof retainers === 'function'
      ? retainers((o, t) => (num[o] !== 0 && num[t] !== 0 && ancestor[num[t]] === num[o] ? num[t] : 0))
      : { retainers, searchFrom: 0 };
  if (after.searchFrom > 0) {
    // Up to the moment vertex `searchFrom` was reached, the search went the same way over the
    // edges that still count (none it went through before then has stopped counting). Take it
    // up from there: unnumber what came after, and rescan each vertex on the way down to the
    // one that reached it from its first edge (an edge it had passed leads to a vertex
    // numbered earlier, which stays numbered, so a rescan finds what the search would).
    const from = after.searchFrom;
    for (let w = from; w <= count; w++) num[vertex[w]] = 0;
    count = from - 1;
    if (from === ROOT) dfs(rootOrdinal, 0);
    else {
      for (let a = ancestor[from]; a !== 0; a = ancestor[a]) nextEdge[a] = firstEdge[vertex[a]];
      explore(ancestor[from], 0);
    }
  }
  const { firstRetainer, retainerEdge } = after.retainers;
  const owners = after.edgeOwners ?? room.edgeOwners ?? edgeOwnerBlocks(firstEdge, n, edgeTarget.length);
  const hasEssentialRetainer = (o: number): boolean => {
    for (let i = firstRetainer[o]; i < firstRetainer[o + 1]; i++)
      if (isEssential(retainerEdge[i])) return true;
    return false;
  };

  if (count < n) {
    // Reachable only through weak edges: search from each such node as a child of the root.
    for (let o = 0; o < n; o++) if (num[o] === 0 && !hasEssentialRetainer(o)) dfs(o, ROOT);
  }
  // Everything numbered so far was reached by a search; the clique members below are not.
  const searched = count;
  if (count < n) {
    // Cliques that retain only each other: each member hangs directly under the root, numbered
    // after everything else without a search, exactly as DevTools does. Their edges then never
    // lower anyone's semidominator (their numbers are the highest, and their ancestor is the
    // root), so each member ends up immediately dominated by the root and dominates nothing:
    // the dominators of the graph in which the root points at every such member.
    for (let o = 0; o < n; o++) {
      if (num[o] === 0) {
        const v = ++count;
        num[o] = v;
        vertex[v] = o;
        ancestor[v] = ROOT;
      }
    }
  }
  for (let v = 1; v <= n; v++) {
    semi[v] = v;
    label[v] = v;
  }

  // Vertices are processed from the highest number down, and linked into the forest as they
  // are, so "v is linked" is "v >= linked": no array to ask. An unlinked vertex is its own
  // evaluation and its semidominator is still its number.
  let linked = size;
  // The path-compression stack grows only as deep as an ancestor chain gets (short, once
  // compressed), so it is not node-sized.
  let stack = new Uint32Array(1024);
  const evaluate = (v: number): number => {
    if (v < linked) return v;
    const start = v;
    let sp = 0;
    while (ancestor[v] >= linked) {
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
    return label[start];
  };

  // Semidominators (Lengauer–Tarjan), then the immediate dominators from them by walking up
  // the tree (Semi-NCA: Georgiadis, Tarjan, Werneck, "Finding dominators in practice",
  // 2004), which needs no buckets. The dominator tree is unique, so this is the tree the
  // paper's bucket version gives; for a clique member it is the root either way.
  const dom = nextEdge;
  for (let w = n; w >= 2; w--) {
    const o = vertex[w];
    const first = firstRetainer[o];
    const end = firstRetainer[o + 1];
    dom[w] = ancestor[w];
    if (end - first === 1 && w <= searched) {
      // One retainer (most nodes of a heap): the search reached w through it, from its tree
      // parent, which is not linked yet and so is its own evaluation. The loop below would
      // find the same semidominator, after three more random reads.
      semi[w] = ancestor[w];
      linked = w;
      continue;
    }
    let orphan = true;
    let s = w;
    for (let j = first; j < end; j++) {
      const e = retainerEdge[j];
      if (!isEssential(e)) continue;
      orphan = false;
      const u = evaluate(num[edgeOwnerOf(firstEdge, owners, e)]);
      const su = u < linked ? u : semi[u];
      if (su < s) s = su;
    }
    // A node with no essential retainer is treated as a child of the root.
    semi[w] = orphan ? ROOT : s;
    linked = w;
  }
  dom[ROOT] = ROOT;
  for (let w = 2; w <= n; w++) {
    let d = dom[w];
    while (d > semi[w]) d = dom[d];
    dom[w] = d;
  }

  for (let o = 0; o < n; o++) num[o] = vertex[dom[num[o]]];
  return { idom: num, order: vertex.subarray(1), spare: pair };
}

/** Retained size: own size plus everything dominated, summed children-first in reverse DFS order. */
export function retainedSizes(d: Dominators, selfSize: SelfSizes, rootOrdinal: number): Float64Array {
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
