// Two of the DevTools rules (rules.ts) over the bare graph, without the strings: which nodes
// the page owns, and which edges count toward dominance. Without strings so that the
// dominator thread can work them out while the loading thread still reads the strings
// (parallel.ts); the two rules that need text are applied after, as additions:
// - "(Document DOM trees)" roots (a browser's) only add starting points to the marking;
// - a WeakMap's table→value edge is known by its name, and that rule only removes edges.

/** The graph as both threads see it: typed arrays, no strings. */
export interface EdgeGraph {
  nodeCount: number;
  rootOrdinal: number;
  firstEdge: Uint32Array;
  edgeTarget: Uint32Array;
  edgeType: Uint8Array;
  edgeNameOrIndex: Uint32Array;
  nodeId: Uint32Array;
}

/** The edge type numbers these rules read. */
export interface EdgeKinds {
  eElement: number;
  eInternal: number;
  eShortcut: number;
  eWeak: number;
}

/** The table a WeakMap value edge's name (a string index) names, or -1 for any other name. */
export interface WeakMapTables {
  tableOf(nameIndex: number): number;
}

/** The root's shortcut edges' targets: the global objects, where page ownership starts. */
export function shortcutRoots(g: EdgeGraph, k: EdgeKinds): number[] {
  const roots: number[] = [];
  const r = g.rootOrdinal;
  for (let e = g.firstEdge[r]; e < g.firstEdge[r + 1]; e++)
    if (g.edgeType[e] === k.eShortcut) roots.push(g.edgeTarget[e]);
  return roots;
}

/**
 * Marks in `owned` everything reachable over non-weak edges from `roots` (and already
 * marked nodes stay marked, so a second call with more roots extends the first).
 */
/** Page ownership is one bit a node: this many bytes for n nodes. */
export const ownedBytes = (nodeCount: number): number => (nodeCount + 7) >>> 3;

/** Whether node i is page-owned in `owned` (one bit a node). */
export const isOwned = (owned: Uint8Array, i: number): boolean => (owned[i >>> 3] & (1 << (i & 7))) !== 0;

export function markOwnedFrom(
  g: EdgeGraph,
  k: EdgeKinds,
  roots: ArrayLike<number>,
  owned: Uint8Array,
  scratch: Uint32Array,
): void {
  const { firstEdge, edgeTarget, edgeType } = g;
  const weak = k.eWeak;
  const stack = scratch;
  let top = 0;
  for (let i = 0; i < roots.length; i++) {
    const t = roots[i];
    if (isOwned(owned, t)) continue;
    owned[t >>> 3] |= 1 << (t & 7);
    stack[top++] = t;
  }
  while (top > 0) {
    const n = stack[--top];
    const end = firstEdge[n + 1];
    for (let e = firstEdge[n]; e < end; e++) {
      const t = edgeTarget[e];
      if (isOwned(owned, t) || edgeType[e] === weak) continue;
      owned[t >>> 3] |= 1 << (t & 7);
      stack[top++] = t;
    }
  }
}

/**
 * One bit per edge: whether it counts toward dominance and retained size. With `weakMaps`
 * null the WeakMap rule is left for dropWeakMapValueEdges (the same bits, in two passes).
 */
export function essentialBits(
  g: EdgeGraph,
  k: EdgeKinds,
  pageOwned: Uint8Array,
  weakMaps: WeakMapTables | null,
  bits: Uint8Array,
): Uint8Array {
  const { nodeCount, firstEdge, edgeTarget, edgeType, edgeNameOrIndex, nodeId } = g;
  const root = g.rootOrdinal;
  const { eInternal, eWeak, eShortcut } = k;
  for (let n = 0; n < nodeCount; n++) {
    const end = firstEdge[n + 1];
    const fromOwned = isOwned(pageOwned, n);
    for (let e = firstEdge[n]; e < end; e++) {
      const type = edgeType[e];
      // The table→value edge of a WeakMap entry: the value is retained through its key.
      if (type === eInternal && weakMaps !== null && weakMaps.tableOf(edgeNameOrIndex[e]) === nodeId[n])
        continue;
      if (type === eWeak) continue;
      const t = edgeTarget[e];
      if (t === n) continue;
      if (n !== root) {
        // Shortcuts mean something only at the root (they mark the global objects).
        if (type === eShortcut) continue;
        if (!fromOwned && isOwned(pageOwned, t)) continue;
      }
      bits[e >>> 3] |= 1 << (e & 7);
    }
  }
  return bits;
}

/**
 * Clears the bits of WeakMap table→value edges (the rule essentialBits left out). Only a
 * table's own edges can be such an edge, and the tables are few: a node whose id is not a
 * table's is passed over after a look at a 64 Kbit filter of the table ids.
 */
export function dropWeakMapValueEdges(
  g: EdgeGraph,
  k: EdgeKinds,
  weakMaps: WeakMapTableIndex,
  bits: Uint8Array,
  onDrop?: (owner: number, e: number) => void,
): void {
  const { nodeCount, firstEdge, edgeType, edgeNameOrIndex, nodeId } = g;
  const internal = k.eInternal;
  const tables = weakMaps.tableIds();
  const filter = new Int32Array(2048);
  // V8's object ids go up in twos: the bit above the lowest spreads them best.
  const slot = (id: number): number => (id >>> 1) & 0xffff;
  for (const id of tables) filter[slot(id) >>> 5] |= 1 << (slot(id) & 31);
  for (let n = 0; n < nodeCount; n++) {
    const id = nodeId[n];
    const h = slot(id);
    if ((filter[h >>> 5] & (1 << (h & 31))) === 0 || !tables.has(id)) continue;
    const end = firstEdge[n + 1];
    for (let e = firstEdge[n]; e < end; e++) {
      if (edgeType[e] === internal && weakMaps.tableOf(edgeNameOrIndex[e]) === id) {
        bits[e >>> 3] &= ~(1 << (e & 7));
        onDrop?.(n, e);
      }
    }
  }
}

/**
 * The WeakMap names of a snapshot as plain data a thread can receive: one byte per string
 * index (1: a WeakMap value edge's name) and the table id of each such name.
 */
export interface WeakMapTableList {
  flags: Uint8Array;
  names: number[];
  tables: number[];
}

export class WeakMapTableIndex implements WeakMapTables {
  private readonly byName = new Map<number, number>();
  constructor(private readonly list: WeakMapTableList) {
    list.names.forEach((name, i) => this.byName.set(name, list.tables[i]));
  }
  get empty(): boolean {
    return this.list.names.length === 0;
  }
  tableIds(): Set<number> {
    return new Set(this.list.tables);
  }
  tableOf(nameIndex: number): number {
    return this.list.flags[nameIndex] === 1 ? this.byName.get(nameIndex)! : -1;
  }
}
