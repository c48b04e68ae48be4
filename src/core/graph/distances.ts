// Distance from the roots, as DevTools defines it: a breadth-first search from the user's
// global objects gives 1, 2, 3…; what only the system (V8 internals, the debugger) reaches
// gets BASE_SYSTEM_DISTANCE + depth from the root; the unreachable get NO_DISTANCE.
// Weak edges are never followed, and a few internal links that would give misleadingly
// short paths are skipped (see `followable`).

import { HeapSnapshot } from '../snapshot';
import { Kinds } from './kinds';
import { isUserRoot, WeakMapEdgeNames } from './rules';
import { release, releasableUint32 } from './release';

export const BASE_SYSTEM_DISTANCE = 100000000;
export const NO_DISTANCE = -5;

/**
 * `excluded` nodes are never entered: the leak hunt measures distances as if its harness
 * object did not exist, so paths explain the program, not the harness that drives it.
 * `skippedEdges` (one byte per edge) are never followed: "Why is this alive?" while paused
 * skips the inspector's own handles, which share their root with the program's.
 * `into` (n slots, any content) receives the distances, so that a caller's scratch can become
 * them. The search's queue holds only the frontier, in a ring of half the nodes (grown if a
 * frontier is wider): two levels of a heap's search are a third of it at most in practice.
 */
export function computeDistances(
  s: HeapSnapshot,
  k: Kinds,
  weakMapNames: WeakMapEdgeNames,
  excluded?: Uint8Array,
  into: Int32Array = new Int32Array(s.nodeCount),
  skippedEdges?: Uint8Array,
): Int32Array {
  const n = s.nodeCount;
  const { firstEdge, edgeTarget, edgeType } = s;
  const distances = into.fill(NO_DISTANCE);
  const followable = edgeFilter(s, k, weakMapNames);
  // Given back when the search is done (release.ts): its pages would stay, dead, to the peak.
  let queue = releasableUint32(Math.min(n, Math.max(1024, n >>> 1)));
  // Its length, read once: a resizable buffer's view checks its buffer at each `.length`.
  let cap = queue.length;
  let head = 0;
  let size = 0;
  const push = (t: number): void => {
    if (size === cap) {
      if (size >= n) throw new Error('distance search visited more nodes than exist');
      const wider = releasableUint32(Math.min(n, queue.length * 2));
      for (let i = 0; i < size; i++) wider[i] = queue[(head + i) % queue.length];
      release(queue);
      queue = wider;
      cap = wider.length;
      head = 0;
    }
    const at = head + size;
    queue[at < cap ? at : at - cap] = t;
    size++;
  };

  const bfs = (): void => {
    while (size > 0) {
      const v = queue[head];
      if (++head === cap) head = 0;
      size--;
      const d = distances[v] + 1;
      const end = firstEdge[v + 1];
      for (let e = firstEdge[v]; e < end; e++) {
        if (edgeType[e] === k.eWeak || (skippedEdges !== undefined && skippedEdges[e])) continue;
        const t = edgeTarget[e];
        if (distances[t] !== NO_DISTANCE || (excluded !== undefined && excluded[t])) continue;
        if (!followable(v, e)) continue;
        distances[t] = d;
        push(t);
      }
    }
  };

  const root = s.rootOrdinal;
  let userRoots = 0;
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    const t = edgeTarget[e];
    if (distances[t] === 1) continue; // several root edges to one node: search it once
    if (isUserRoot(s, k, t) || (s.nodeType[t] === k.synthetic && s.nodeNameIs(t, '(Document DOM trees)'))) {
      distances[t] = 1;
      push(t);
      userRoots++;
    }
  }
  bfs();
  distances[root] = userRoots > 0 ? BASE_SYSTEM_DISTANCE : 0;
  push(root);
  bfs();
  release(queue);
  return distances;
}

/**
 * Edges a distance search should not walk:
 * - a NativeContext's `sloppy_function_map` (every function would look one hop from it);
 * - the descriptor slots of `(map descriptors)` arrays, which maps share, so the links are
 *   not valid for every owner;
 * - the first of the two edges that hold a WeakMap value (table and key): the value's
 *   distance then comes from the later one, the greater of the two (crbug.com/1290800).
 * Stateful (the WeakMap pairing), so one filter serves one search, edges in search order.
 */
function edgeFilter(
  s: HeapSnapshot,
  k: Kinds,
  weakMapNames: WeakMapEdgeNames,
): (from: number, e: number) => boolean {
  const pendingPairs = new Set<string>();
  const { nodeType, edgeType, edgeNameOrIndex } = s;
  const nativeContext = s.strings.indexOf('system / NativeContext');
  const mapDescriptors = s.strings.indexOf('(map descriptors)');
  const sloppyFunctionMap = s.strings.indexOf('sloppy_function_map');
  return (from, e) => {
    const type = edgeType[e];
    const named = type !== k.eElement && type !== k.eHidden;
    if (
      nodeType[from] === k.hidden &&
      named &&
      sloppyFunctionMap >= 0 &&
      s.strings.equals(edgeNameOrIndex[e], 'sloppy_function_map') &&
      nativeContext >= 0 &&
      s.nodeNameIs(from, 'system / NativeContext')
    ) {
      return false;
    }
    if (nodeType[from] === k.array && mapDescriptors >= 0 && s.nodeNameIs(from, '(map descriptors)')) {
      const index = named ? parseInt(s.strings.get(edgeNameOrIndex[e]), 10) : edgeNameOrIndex[e];
      return index < 2 || index % 3 !== 1;
    }
    if (type === k.eInternal) {
      const m = weakMapNames.get(edgeNameOrIndex[e]);
      if (m && !pendingPairs.delete(m.pair)) {
        pendingPairs.add(m.pair);
        return false;
      }
    }
    return true;
  };
}
