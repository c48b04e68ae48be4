// The reverse of the edge list: for each node, the edges that point at it. Built with a
// counting sort so retainers of a node come in edge order, as DevTools lists them. The owner
// of a retaining edge is not stored (it was 4 bytes an edge, an eighth of a loaded snapshot):
// HeapSnapshot.edgeOwner finds it from firstEdge (graph/edgeOwners.ts).

import type { HeapSnapshot } from '../snapshot';

export interface Retainers {
  /** firstRetainer[i]..firstRetainer[i+1] index retainerEdge for node i. */
  firstRetainer: Uint32Array;
  /** Edge ordinal of each retaining edge. */
  retainerEdge: Uint32Array;
}

export function buildRetainers(s: HeapSnapshot): Retainers {
  return buildRetainersFrom(s.nodeCount, s.edgeTarget, false);
}

/** Room for the retainers of a graph, optionally in shared memory (for another thread). */
export function allocateRetainers(nodeCount: number, edgeCount: number, shared: boolean): Retainers {
  const u32 = (n: number): Uint32Array =>
    new Uint32Array(shared ? new SharedArrayBuffer(n * 4) : new ArrayBuffer(n * 4));
  return { firstRetainer: u32(nodeCount + 1), retainerEdge: u32(edgeCount) };
}

/** The same from the bare arrays, optionally into shared memory or into `into` (zeroed). */
export function buildRetainersFrom(
  nodeCount: number,
  edgeTarget: Uint32Array,
  shared: boolean,
  into: Retainers = allocateRetainers(nodeCount, edgeTarget.length, shared),
): Retainers {
  const edgeCount = edgeTarget.length;
  const { firstRetainer, retainerEdge } = into;
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTarget[e] + 1]++;
  for (let i = 0; i < nodeCount; i++) firstRetainer[i + 1] += firstRetainer[i];
  // firstRetainer[i] doubles as the next free slot of node i while filling, then is restored.
  for (let e = 0; e < edgeCount; e++) retainerEdge[firstRetainer[edgeTarget[e]]++] = e;
  for (let i = nodeCount; i > 0; i--) firstRetainer[i] = firstRetainer[i - 1];
  firstRetainer[0] = 0;
  return { firstRetainer, retainerEdge };
}
