// The typed columns the number arrays are read into, and how they grow: split from numbers.ts
// (the hot loop), so that file reads one machine.

import type { SelfSizes } from '../snapshot';
import type { SnapshotHeader } from '../header';
import type { Fail } from './badRecord';

/** The columns nodes and edges are read into; `length` of each may exceed the count read. */
export interface NodeColumns {
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  nodeSelf: SelfSizes;
  /** Edge counts one slot up while reading; first-edge indexes once "nodes" is closed. */
  firstEdge: Uint32Array;
  nodeTrace: Uint32Array | null;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  edgeTarget: Uint32Array;
}

type Column = Uint8Array | Uint32Array | Float64Array;

/** A new array of the same type and the same kind of memory (shared stays shared). */
export function resized<T extends Column>(a: T, n: number): T {
  const Ctor = a.constructor as new (buffer: ArrayBufferLike) => T;
  const bytes = n * a.BYTES_PER_ELEMENT;
  const b = new Ctor(
    a.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

/** The array cut to n elements (a copy only when it is longer). */
export function shrink<T extends Column>(a: T, n: number): T {
  return a.length === n ? a : resized(a, n);
}

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

export function allocateNodes(c: NodeColumns, cap: number, trace: boolean): void {
  c.nodeType = new Uint8Array(cap);
  c.nodeName = new Uint32Array(cap);
  // Shared memory for what the dominator thread reads (graph/parallel.ts): no copies.
  c.nodeId = new Uint32Array(shared(cap * 4));
  // 4 bytes a size until one needs more (numbers.ts widens it): V8's objects are far below 4 GiB.
  c.nodeSelf = new Uint32Array(shared(cap * 4));
  c.firstEdge = new Uint32Array(shared((cap + 1) * 4));
  c.nodeTrace = trace ? new Uint32Array(cap) : null;
}

export function growNodeColumns(c: NodeColumns, cap: number): void {
  c.nodeType = resized(c.nodeType, cap);
  c.nodeName = resized(c.nodeName, cap);
  c.nodeId = resized(c.nodeId, cap);
  c.nodeSelf = resized(c.nodeSelf, cap);
  c.firstEdge = resized(c.firstEdge, cap + 1);
  if (c.nodeTrace) c.nodeTrace = resized(c.nodeTrace, cap);
}

/** Columns for the nodes the header declares, as many as the input can hold; how many. */
export function allocateDeclaredNodes(
  c: NodeColumns,
  h: SnapshotHeader,
  totalBytes: number | undefined,
): number {
  const L = h.nodeLayout;
  const cap = plausibleRecords(h.nodeCount, L.fieldCount, totalBytes);
  // Without allocation tracking every trace_node_id is 0: not worth a node-sized array.
  allocateNodes(c, cap, L.traceNodeId >= 0 && h.traceFunctionCount > 0);
  return cap;
}

/** The same for the edges. */
export function allocateDeclaredEdges(
  c: NodeColumns,
  h: SnapshotHeader,
  totalBytes: number | undefined,
): number {
  const cap = plausibleRecords(h.edgeCount, h.edgeLayout.fieldCount, totalBytes);
  allocateEdges(c, cap);
  return cap;
}

/** The edge columns at the header's count, unless the input's size could not hold that many. */
export function reserveDeclaredEdges(
  c: NodeColumns,
  h: SnapshotHeader,
  totalBytes: number | undefined,
): boolean {
  const declared = h.edgeCount;
  if (declared === 0 || plausibleRecords(declared, h.edgeLayout.fieldCount, totalBytes) < declared)
    return false;
  allocateEdges(c, declared);
  return true;
}

/**
 * All three edge columns are shared memory: the edge thread (parse/edgeSplit.ts) writes the
 * second part of "edges" into them, and the dominator thread reads the targets.
 */
export function allocateEdges(c: NodeColumns, cap: number): void {
  c.edgeType = new Uint8Array(shared(cap));
  c.edgeName = new Uint32Array(shared(cap * 4));
  c.edgeTarget = new Uint32Array(shared(cap * 4));
}

export function growEdgeColumns(c: NodeColumns, cap: number): void {
  c.edgeType = resized(c.edgeType, cap);
  c.edgeName = resized(c.edgeName, cap);
  c.edgeTarget = resized(c.edgeTarget, cap);
}

/**
 * How many records to reserve for a declared count. Each number takes at least two bytes
 * ("0,"), so the input size bounds the record count; when the size is unknown, start small
 * and grow, so a lying header cannot reserve memory.
 */
export function plausibleRecords(
  declared: number,
  fieldCount: number,
  totalBytes: number | undefined,
): number {
  const bound = totalBytes !== undefined ? Math.floor(totalBytes / (2 * fieldCount)) + 1 : 1 << 16;
  return Math.max(1, Math.min(declared, bound));
}

/**
 * Turns the nodes' edge counts (one slot up) into each node's first edge, checking that they
 * add up to the header's edge count.
 */
export function firstEdges(
  first: Uint32Array,
  count: number,
  declared: number,
  fail: Fail,
  at: number,
): void {
  first[0] = 0;
  let sum = 0;
  for (let i = 1; i <= count; i++) {
    sum += first[i];
    if (sum > 0xffffffff) fail('count-mismatch', 'the nodes declare more edges than can be indexed', at);
    first[i] = sum;
  }
  if (sum !== declared)
    fail(
      'count-mismatch',
      `the nodes' edge counts add up to ${sum} but the header says ${declared} edges`,
      at,
    );
}

/** Fails unless an array holds the count of records its header declares. */
export function checkCount(
  what: 'nodes' | 'edges',
  count: number,
  declared: number,
  fail: Fail,
  at: number,
): void {
  if (count !== declared)
    fail('count-mismatch', `"${what}" holds ${count} ${what} but the header says ${declared}`, at);
}

/** The capacity for record `needed` (doubling, never past the header's count, which is an error). */
export function grownCapacity(
  needed: number,
  declared: number,
  capacity: number,
  what: 'nodes' | 'edges',
  fail: Fail,
  at: number,
): number {
  if (needed >= declared)
    fail('count-mismatch', `"${what}" holds more than the ${declared} ${what} the header declares`, at);
  return Math.min(declared, Math.max(needed + 1, capacity * 2));
}
