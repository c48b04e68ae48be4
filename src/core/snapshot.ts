// The parsed snapshot: one typed array per field (columnar), so the graph algorithms walk
// dense arrays and never touch a JS object per node or edge. Nodes and edges are named by
// their ordinal (0..count-1); an edge's target is stored as a node ordinal, not as the
// field offset V8 writes.

import type { StringTable } from './stringTable';
import { edgeOwnerBlocks, edgeOwnerOf } from './graph/edgeOwners';

export interface SnapshotMeta {
  nodeFields: string[];
  nodeTypes: string[];
  edgeFields: string[];
  edgeTypes: string[];
  traceFunctionInfoFields: string[];
  traceNodeFields: string[];
  sampleFields: string[];
  locationFields: string[];
}

/** Allocation-tracking data, present when the snapshot was taken with trackAllocations. */
export interface AllocationTraces {
  /** trace_function_infos, flat, `functionInfoFields.length` numbers per function. */
  functionInfos: Float64Array;
  functionInfoFields: string[];
  /** One entry per trace-tree node, in the order the tree was written. */
  traceNodeIds: Uint32Array;
  traceNodeFunction: Uint32Array;
  /** Position (not id) of the parent trace node; 0xffffffff for the top. */
  traceNodeParent: Uint32Array;
  /** How many objects each trace node allocated while tracking was on, the freed ones too. */
  traceNodeAllocations: Uint32Array;
  traceNodeCount: number;
}

/**
 * Self sizes: 4 bytes a node while every size (and, after the shallow-size fold, every sum of
 * sizes) fits 32 bits, as it does in any heap under 4 GiB; 8 bytes from the first that does not.
 */
export type SelfSizes = Uint32Array | Float64Array;

/** The same sizes 8 bytes each, in the same kind of memory (shared stays shared). */
export function widenedSizes(a: SelfSizes): Float64Array {
  if (a instanceof Float64Array) return a;
  const bytes = a.length * 8;
  const wide = new Float64Array(
    a.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
  wide.set(a);
  return wide;
}

/** Everything a snapshot is made of, by name: what the parser hands to `new HeapSnapshot`. */
export interface SnapshotColumns {
  readonly meta: SnapshotMeta;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly rootOrdinal: number;
  // nodes
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  readonly nodeId: Uint32Array;
  /** Self sizes as V8 wrote them, until analyze() folds single-owner internals into their owners. */
  readonly nodeSelfSize: SelfSizes;
  /** firstEdge[i]..firstEdge[i+1] are node i's outgoing edge ordinals. */
  readonly firstEdge: Uint32Array;
  readonly nodeTraceId: Uint32Array | null;
  // V8's `detachedness` field (DevTools' "Detached" mark on DOM wrappers) is read past, not
  // kept: nothing here asks it, and it was a byte a node.
  // edges
  readonly edgeType: Uint8Array;
  readonly edgeNameOrIndex: Uint32Array;
  /** Target node ordinal of each edge. */
  readonly edgeTarget: Uint32Array;
  /** The string table, as UTF-8 bytes: `strings.get(i)` decodes entry i. */
  readonly strings: StringTable;
  readonly locations: Uint32Array;
  readonly samples: Float64Array;
  readonly traces: AllocationTraces | null;
  readonly extraNativeBytes: number;
}

// The class has every column of SnapshotColumns as a read-only field (declaration merging).
export interface HeapSnapshot extends SnapshotColumns {}

export class HeapSnapshot {
  // The parser builds the columns in one place (parse/build.ts), so every snapshot gets its
  // fields in the same order: one hidden class.
  constructor(c: SnapshotColumns) {
    Object.assign(this, c);
    this.nodeTypeIndex = indexer(c.meta.nodeTypes);
    this.edgeTypeIndex = indexer(c.meta.edgeTypes);
    this.edgeOwnerBlocks = edgeOwnerBlocks(c.firstEdge, c.nodeCount, c.edgeCount);
  }

  /** The owner of every 16th edge: what edgeOwner() searches from (graph/edgeOwners.ts). */
  readonly edgeOwnerBlocks: Uint32Array;

  /** Makes the self sizes 8 bytes each, for a sum that no longer fits 32 bits; returns them. */
  widenSelfSizes(): Float64Array {
    const wide = widenedSizes(this.nodeSelfSize);
    // The one column that changes after the parse (read-only to everyone else).
    (this as { nodeSelfSize: SelfSizes }).nodeSelfSize = wide;
    return wide;
  }

  /** The node edge `e` comes from (found from firstEdge, not stored per edge). */
  edgeOwner(e: number): number {
    return edgeOwnerOf(this.firstEdge, this.edgeOwnerBlocks, e);
  }

  /** Type number of a node-type name, or -1 when this snapshot has no such type. */
  readonly nodeTypeIndex: (name: string) => number;
  readonly edgeTypeIndex: (name: string) => number;

  nodeTypeName(ordinal: number): string {
    return this.meta.nodeTypes[this.nodeType[ordinal]] ?? 'unknown';
  }

  nodeNameString(ordinal: number): string {
    return this.strings.get(this.nodeName[ordinal]);
  }

  /** Whether the node's name is `name` (compares bytes: nothing decoded). */
  nodeNameIs(ordinal: number, name: string): boolean {
    return this.strings.equals(this.nodeName[ordinal], name);
  }

  edgeTypeName(edge: number): string {
    return this.meta.edgeTypes[this.edgeType[edge]] ?? 'unknown';
  }

  /** Element and hidden edges carry an index; every other edge type a string-table name. */
  edgeHasStringName(edge: number): boolean {
    const t = this.meta.edgeTypes[this.edgeType[edge]];
    return t !== 'element' && t !== 'hidden';
  }

  /** The edge's name as DevTools reads it: the string, or the index as text. */
  edgeNameString(edge: number): string {
    const v = this.edgeNameOrIndex[edge];
    return this.edgeHasStringName(edge) ? this.strings.get(v) : String(v);
  }

  /** Whether the edge has a string name and it is `name` (compares bytes: nothing decoded). */
  edgeNameIs(edge: number, name: string): boolean {
    return this.edgeHasStringName(edge) && this.strings.equals(this.edgeNameOrIndex[edge], name);
  }

  /** Linear scan; callers that look up many ids should build an index once. */
  ordinalOfId(id: number): number {
    const ids = this.nodeId;
    for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i;
    return -1;
  }
}

function indexer(names: string[]): (name: string) => number {
  const map = new Map<string, number>();
  names.forEach((n, i) => map.set(n, i));
  return (name) => map.get(name) ?? -1;
}
