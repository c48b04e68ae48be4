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
 * The rules that need the strings, for a search that starts before they are read (the
 * dominator thread's, parallel.ts). They are taken in while the search runs, as soon as they
 * are there, so that an edge they drop is, most of the time, one the search has not reached
 * yet: then nothing it found changes.
 */
export interface LateRules {
  /**
   * If the strings are in (or once they are, with `wait`): applies their rules to the
   * essential bits the search reads, and returns where the search must be taken up again
   * (0: nowhere, 1: from the root), being told by `reachedThrough(owner, target)` the
   * search's number for target when an edge from owner to it may be the one the search
   * reached it through, else 0. Undefined if the strings are not in yet.
   */
  apply(reachedThrough: (owner: number, target: number) => number, wait: boolean): number | undefined;
  /** After apply: the retainers (another thread may still be building them), and the edge owners. */
  retainers(): { retainers: Retainers; edgeOwners?: Uint32Array };
}

/** What computeDominatorsFrom may be given rather than allocate. */
export interface SearchRoom {
  /** Whether the results go to shared memory (another thread reads them). */
  shared?: boolean;
  /** n + 1 slots: the DFS scratch. */
  scratch?: Uint32Array;
  /** The snapshot's edgeOwnerBlocks, when it has them (a quarter byte an edge not made twice). */
  edgeOwners?: Uint32Array;
  /** How many vertices the search numbers between two looks for LateRules (tests: 1). */
  lateRulesSteps?: number;
}

// How many vertices the search numbers between two looks for the strings' rules: a look costs
// microseconds, and rules taken in later than they came cost a re-search of what came after
// the first vertex reached through an edge they drop.
const LATE_RULES_STEPS = 65_536;

/**
 * The same from the bare arrays (the dominator thread has no HeapSnapshot object).
 * With LateRules for `retainers`, the search starts without the strings' rules.
 */
export function computeDominatorsFrom(
  n: number,
  rootOrdinal: number,
  firstEdge: Uint32Array,
  edgeTarget: Uint32Array,
  retainers: Retainers | LateRules,
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
  // Two words a vertex, side by side, because Lengauer–Tarjan's EVAL reads both of a vertex at
  // once (one cache line, not two far apart at a heap's size): link[2v] is the DFS tree parent,
  // then the forest link of a processed vertex, which path compression shortens (an
  // unprocessed vertex keeps its parent there); link[2v + 1] is the least semidominator on
  // the compressed path up from v. This buffer becomes the retained sizes (8 bytes a node)
  // once it is dead: one node-sized Float64Array fewer at the peak.
  const pair = memory(size * 8);
  const link = new Uint32Array(pair, 0, size * 2);
  // During the DFS: the next edge to try of each vertex. Afterwards: the dominators.
  const nextEdge = scratch;
  const ROOT = 1;
  let count = 0;
  const late = 'firstRetainer' in retainers ? null : retainers;
  // Whether the strings' rules are still to come: the search looks for them as it goes.
  let lateRules = late !== null;
  let nextLook = 0;
  const lookEvery = room.lateRulesSteps ?? LATE_RULES_STEPS;

  const isEssential = (e: number): boolean => (essential[e >>> 3] & (1 << (e & 7))) !== 0;
  // The search's number for t when the edge owner→t may be the tree edge it reached t through.
  const reachedThrough = (o: number, t: number): number =>
    num[o] !== 0 && num[t] !== 0 && link[2 * num[t]] === num[o] ? num[t] : 0;

  const enter = (o: number, parent: number): number => {
    const v = ++count;
    num[o] = v;
    vertex[v] = o;
    link[2 * v] = parent;
    nextEdge[v] = firstEdge[o];
    return v;
  };
  // Up to the moment vertex `from` was reached, the search went the way it goes over the
  // edges that still count (none it went through before then has stopped counting). Takes
  // it up from there: unnumbers what came after, and has each vertex on the way down to
  // `from` rescan from its first edge (an edge it had passed leads to a vertex numbered
  // earlier, which stays numbered, so a rescan finds what the search would). Returns the
  // vertex the search goes on from.
  const rewind = (from: number): number => {
    for (let w = from; w <= count; w++) num[vertex[w]] = 0;
    count = from - 1;
    if (from === ROOT) return enter(rootOrdinal, 0);
    for (let a = link[2 * from]; a !== 0; a = link[2 * a]) nextEdge[a] = firstEdge[vertex[a]];
    return link[2 * from];
  };
  // The search's loop, from vertex v on the way down from `parent`, until it is back there:
  // numbers everything reachable over essential edges, in preorder.
  const explore = (from: number, parent: number): void => {
    let v = from;
    while (v !== parent) {
      if (lateRules && count >= nextLook) {
        nextLook = count + lookEvery;
        const at = late!.apply(reachedThrough, false);
        if (at !== undefined) {
          lateRules = false;
          if (at > 0) v = rewind(at);
        }
      }
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
          link[2 * child] = v;
          nextEdge[child] = firstEdge[t];
          break;
        }
      }
      if (child !== 0) {
        v = child;
      } else {
        nextEdge[v] = end;
        v = link[2 * v];
      }
    }
  };

  explore(enter(rootOrdinal, 0), 0);
  if (lateRules) {
    // The search from the root ended before the strings came: wait for them.
    lateRules = false;
    const at = late!.apply(reachedThrough, true)!;
    if (at > 0) explore(rewind(at), 0);
  }
  const after = late === null ? { retainers: retainers as Retainers } : late.retainers();
  const { firstRetainer, retainerEdge } = after.retainers;
  const owners = after.edgeOwners ?? room.edgeOwners ?? edgeOwnerBlocks(firstEdge, n, edgeTarget.length);
  const hasEssentialRetainer = (o: number): boolean => {
    for (let i = firstRetainer[o]; i < firstRetainer[o + 1]; i++)
      if (isEssential(retainerEdge[i])) return true;
    return false;
  };

  if (count < n) {
    // Reachable only through weak edges: search from each such node as a child of the root.
    for (let o = 0; o < n; o++) if (num[o] === 0 && !hasEssentialRetainer(o)) explore(enter(o, ROOT), ROOT);
  }
  // Everything numbered so far was reached by a search; the clique members below are not.
  const searched = count;
  if (count < n) {
    // Cliques that retain only each other: each member hangs directly under the root, numbered
    // after everything else without a search, exactly as DevTools does. Their edges then never
    // lower anyone's semidominator (their numbers are the highest, and their ancestor is the
    // root), so each member ends up immediately dominated by the root and dominates nothing:
    // the dominators of the graph in which the root points at every such member.
    for (let o = 0; o < n; o++) if (num[o] === 0) enter(o, ROOT);
  }

  // Vertices are processed from the highest number down, and linked into the forest as they
  // are, so "v is linked" is "v >= linked": no array to ask. An unlinked vertex is its own
  // evaluation and its semidominator is still its number.
  let linked = size;
  // The path-compression stack grows only as deep as an ancestor chain gets (short, once
  // compressed), so it is not node-sized.
  let stack = new Uint32Array(1024);
  // The least semidominator on the path from v up to (not including) the root of its tree in
  // the forest; v itself if v is not linked.
  const evaluate = (v: number): number => {
    if (v < linked) return v;
    const start = v;
    let sp = 0;
    while (link[2 * v] >= linked) {
      if (++sp === stack.length) {
        const bigger = new Uint32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
      stack[sp] = v;
      v = link[2 * v];
    }
    while (sp > 0) {
      const w = stack[sp--];
      const a = link[2 * w];
      const least = link[2 * a + 1];
      if (least < link[2 * w + 1]) link[2 * w + 1] = least;
      link[2 * w] = link[2 * a];
    }
    return link[2 * start + 1];
  };

  // Semidominators (Lengauer–Tarjan), then the immediate dominators from them by walking up
  // the tree (Semi-NCA: Georgiadis, Tarjan, Werneck, "Finding dominators in practice",
  // 2004), which needs no buckets. The dominator tree is unique, so this is the tree the
  // paper's bucket version gives; for a clique member it is the root either way.
  const dom = nextEdge;
  // Each vertex's semidominator, once it is processed, goes where its ordinal was: the loop
  // reads vertex[w] only at w, and `num` is the inverse, so vertex is rebuilt from it after
  // the dominators. One node-sized array fewer at the search's peak (4 bytes a node: 82 MB
  // at 1.5 GB of snapshot) for a pass over the nodes.
  const semi = vertex;
  for (let w = n; w >= 2; w--) {
    const o = vertex[w];
    const first = firstRetainer[o];
    const end = firstRetainer[o + 1];
    const parent = link[2 * w];
    dom[w] = parent;
    let s = w;
    if (end - first === 1 && w <= searched) {
      // One retainer (most nodes of a heap): the search reached w through it, from its tree
      // parent, which is not linked yet and so is its own evaluation. The loop below would
      // find the same semidominator, after three more random reads.
      s = parent;
    } else {
      let orphan = true;
      for (let j = first; j < end; j++) {
        const e = retainerEdge[j];
        if (!isEssential(e)) continue;
        orphan = false;
        const su = evaluate(num[edgeOwnerOf(firstEdge, owners, e)]);
        if (su < s) {
          s = su;
          // Nothing is lower than the root: the other retainers cannot change it.
          if (s === ROOT) break;
        }
      }
      // A node with no essential retainer is treated as a child of the root.
      if (orphan) s = ROOT;
    }
    semi[w] = s;
    link[2 * w + 1] = s;
    linked = w;
  }
  dom[ROOT] = ROOT;
  for (let w = 2; w <= n; w++) {
    let d = dom[w];
    while (d > semi[w]) d = dom[d];
    dom[w] = d;
  }

  for (let o = 0; o < n; o++) vertex[num[o]] = o;
  for (let w = 1; w <= n; w++) num[vertex[w]] = vertex[dom[w]];
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
