// The rules that make numbers agree with what a person sees in Chrome DevTools' Memory
// panel. Each one exists because the raw graph would otherwise tell a misleading story:
// - objects owned by the page are told apart from those also reachable from the
//   debugger or V8 internals, and an edge from the latter into the former does not count
//   toward dominance (otherwise a console reference would "retain" half the heap);
// - a WeakMap value is retained by its key, not by the table (ephemeron semantics);
// - the backing store of an object (its hidden/array parts) is charged to the object
//   when it has exactly one owner, so `Book` shows the size a person thinks it has.

import { HeapSnapshot } from '../snapshot';
import { Kinds } from './kinds';
import type { StringTable } from '../stringTable';
import {
  essentialBits,
  markOwnedFrom,
  ownedBytes,
  shortcutRoots,
  WeakMapTableList,
  WeakMapTables,
} from './essential';

/** A node the root points at and that is not synthetic: the global objects of the program. */
export function isUserRoot(s: HeapSnapshot, k: Kinds, ordinal: number): boolean {
  return s.nodeType[ordinal] !== k.synthetic;
}

function isDocumentDomTreesRoot(s: HeapSnapshot, k: Kinds, ordinal: number): boolean {
  return s.nodeType[ordinal] === k.synthetic && s.nodeNameIs(ordinal, '(Document DOM trees)');
}

export function hasUserRoots(s: HeapSnapshot, k: Kinds): boolean {
  const r = s.rootOrdinal;
  for (let e = s.firstEdge[r]; e < s.firstEdge[r + 1]; e++) {
    if (isUserRoot(s, k, s.edgeTarget[e])) return true;
  }
  return false;
}

/**
 * The starting points of page ownership: the root's shortcut edges (the global objects) and
 * its element edges to "(Document DOM trees)" (a browser's); the latter need the strings.
 */
export function domTreeRoots(s: HeapSnapshot, k: Kinds): number[] {
  const roots: number[] = [];
  const r = s.rootOrdinal;
  for (let e = s.firstEdge[r]; e < s.firstEdge[r + 1]; e++) {
    const t = s.edgeTarget[e];
    if (s.edgeType[e] === k.eElement && isDocumentDomTreesRoot(s, k, t)) roots.push(t);
  }
  return roots;
}

/**
 * Marks everything reachable (over non-weak edges) from the root's shortcut edges (the
 * global objects) and DOM tree roots. Returns one bit per node, set for page-owned (isOwned).
 */
export function markPageOwned(
  s: HeapSnapshot,
  k: Kinds,
  scratch: Uint32Array = new Uint32Array(s.nodeCount),
  owned: Uint8Array = new Uint8Array(ownedBytes(s.nodeCount)),
): Uint8Array {
  markOwnedFrom(s, k, [...shortcutRoots(s, k), ...domTreeRoots(s, k)], owned, scratch);
  return owned;
}

/**
 * Moves the self size of hidden, array and external-string-data nodes that have exactly one
 * owner into that owner. "Owner" spreads: an owned node's own hidden children belong to the
 * same owner. Only done when the snapshot has user roots (an "expose internals" snapshot
 * should show allocations as they are).
 */
export function reassignShallowSizes(
  s: HeapSnapshot,
  k: Kinds,
  scratch: Uint32Array = new Uint32Array(s.nodeCount),
): void {
  if (!hasUserRoots(s, k)) return;
  const { nodeCount, firstEdge, edgeTarget, edgeType, nodeType } = s;
  const UNVISITED = 0xffffffff;
  const MANY = 0xfffffffe;
  const owners = scratch;
  // Each internal node enters the worklist at most twice (unvisited → one owner → many owners).
  // The owners are seeded one at a time, each spread before the next: the result is the same
  // in any order (a node's state only rises, unvisited → one owner → many), and the worklist
  // then holds internals only, not a slot for every owner in the heap (tens of MB at the peak).
  let work = new Uint32Array(1 << 16);
  let top = 0;
  const push = (v: number): void => {
    if (top === work.length) {
      const bigger = new Uint32Array(work.length * 2);
      bigger.set(work);
      work = bigger;
    }
    work[top++] = v;
  };
  const internal = (i: number): boolean => {
    const t = nodeType[i];
    return (
      t === k.hidden || t === k.array || (t === k.native && s.nodeNameIs(i, 'system / ExternalStringData'))
    );
  };
  for (let i = 0; i < nodeCount; i++) owners[i] = internal(i) ? UNVISITED : i;
  for (let seed = 0; seed < nodeCount; seed++) {
    if (owners[seed] !== seed) continue;
    push(seed);
    while (top > 0) {
      const n = work[--top];
      const owner = owners[n];
      const end = firstEdge[n + 1];
      for (let e = firstEdge[n]; e < end; e++) {
        if (edgeType[e] === k.eWeak) continue;
        const t = edgeTarget[e];
        const current = owners[t];
        if (current === UNVISITED) {
          owners[t] = owner;
          push(t);
        } else if (current !== t && current !== owner && current !== MANY) {
          owners[t] = MANY;
          push(t);
        }
      }
    }
  }
  const root = s.rootOrdinal;
  let selfSize = s.nodeSelfSize;
  for (let i = 0; i < nodeCount; i++) {
    const o = owners[i];
    if (o === UNVISITED || o === MANY || o === i) continue;
    if (nodeType[o] === k.synthetic || o === root) continue;
    const sum = selfSize[o] + selfSize[i];
    // Sizes are 4 bytes each until a sum needs more: from then on 8 (what is folded so far is kept).
    if (sum > 0xffffffff && selfSize instanceof Uint32Array) selfSize = s.widenSelfSizes();
    selfSize[o] = sum;
    selfSize[i] = 0;
  }
}

const KEY_PREFIX = ' / part of key (';
const VALUE_MARK = ') -> value (';
const TABLE_PREFIX = ') pair in WeakMap (table @';

/** Digits that end `s` before `end`: how many. */
function digitsBefore(s: string, end: number): number {
  let i = end;
  while (i > 0) {
    const c = s.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    i--;
  }
  return end - i;
}

/**
 * Reads `<n> / part of key (<A> @<k>) -> value (<B> @<v>) pair in WeakMap (table @<t>)`, the
 * shape DevTools matches with `.*?` twice. Edge names are heap text an attacker can write, and
 * that expression backtracks quadratically or worse on a name with many `-> value (` in it, so
 * this scanner decides the same language in one pass: the fixed ends are checked in place, and
 * each `) -> value (` occurrence is tried once as the split between A and B.
 * `<A>` and `<B>` are any text without a line break (what `.` matches).
 */
export function parseWeakMapEdgeName(name: string): { pair: string; tableId: number } | undefined {
  const lead = digitsAfter(name, 0);
  if (lead === 0 || !name.startsWith(KEY_PREFIX, lead) || !name.endsWith(')')) return undefined;
  const tableDigits = digitsBefore(name, name.length - 1);
  const tableAt = name.length - 1 - tableDigits;
  if (
    tableDigits === 0 ||
    tableAt - TABLE_PREFIX.length < 0 ||
    !name.startsWith(TABLE_PREFIX, tableAt - TABLE_PREFIX.length)
  )
    return undefined;
  // The middle, `<A> @<k>) -> value (<B> @<v>`, between the fixed prefix and suffix.
  const from = lead + KEY_PREFIX.length;
  const to = tableAt - TABLE_PREFIX.length;
  if (to < from) return undefined;
  for (let i = from; i < to; i++) {
    const c = name.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return undefined;
  }
  // `<B> @<v>` ends the middle: its digits are the middle's trailing digits, after " @".
  const vDigits = digitsBefore(name, to);
  const bEnd = to - vDigits - 2;
  if (vDigits === 0 || bEnd < from || name.charCodeAt(bEnd) !== 32 || name.charCodeAt(bEnd + 1) !== 64)
    return undefined;
  // Some `) -> value (` before B's end, right after `<A> @<k>`. The digit runs scanned back
  // from successive occurrences are disjoint, so the loop is linear in the name's length.
  for (
    let i = name.indexOf(VALUE_MARK, from);
    i >= 0 && i + VALUE_MARK.length <= bEnd;
    i = name.indexOf(VALUE_MARK, i + 1)
  ) {
    const kDigits = digitsBefore(name, i);
    const at = i - kDigits - 2;
    if (kDigits > 0 && at >= from && name.charCodeAt(at) === 32 && name.charCodeAt(at + 1) === 64) {
      return { pair: name.slice(lead), tableId: Number(name.slice(tableAt, name.length - 1)) };
    }
  }
  return undefined;
}

function digitsAfter(s: string, start: number): number {
  let i = start;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i - start;
}

/**
 * V8 names the two edges that hold a WeakMap value (one from the table, one from the key)
 * with the same long description. Parsed once per string-table entry.
 */
export class WeakMapEdgeNames implements WeakMapTables {
  // 0: not looked at yet, 1: not a WeakMap name, 2: one (in `parsed`): most internal edges'
  // names are looked up here, and most are not WeakMap names, so that answer needs no Map.
  private readonly checked: Uint8Array;
  private readonly parsed = new Map<number, { pair: string; tableId: number }>();
  constructor(private readonly strings: StringTable) {
    this.checked = new Uint8Array(strings.length);
  }
  get(nameIndex: number): { pair: string; tableId: number } | undefined {
    const c = this.checked[nameIndex];
    if (c === 1) return undefined;
    if (c === 2) return this.parsed.get(nameIndex);
    // Each such name starts with a digit and ends with ")": most names are turned away on two
    // bytes, not decoded (an odd entry has no bytes, and is decoded).
    const first = this.strings.byteAt(nameIndex, 0);
    if (first >= 0 && (first < 48 || first > 57 || this.strings.byteAt(nameIndex, -1) !== 41)) {
      this.checked[nameIndex] = 1;
      return undefined;
    }
    const r = parseWeakMapEdgeName(this.strings.get(nameIndex));
    this.checked[nameIndex] = r ? 2 : 1;
    if (r) this.parsed.set(nameIndex, r);
    return r;
  }
  tableOf(nameIndex: number): number {
    return this.checked[nameIndex] === 1 ? -1 : (this.get(nameIndex)?.tableId ?? -1);
  }
  /** Every WeakMap name of the table, as data for another thread (essential.ts). */
  list(): WeakMapTableList {
    const names: number[] = [];
    const tables: number[] = [];
    const flags = new Uint8Array(this.strings.length);
    for (let i = 0; i < this.strings.length; i++) {
      const m = this.get(i);
      if (!m) continue;
      flags[i] = 1;
      names.push(i);
      tables.push(m.tableId);
    }
    return { flags, names, tables };
  }
}

/** One bit per edge: whether it counts toward dominance and retained size (essential.ts). */
export function essentialEdges(
  s: HeapSnapshot,
  k: Kinds,
  pageOwned: Uint8Array,
  weakMapNames: WeakMapEdgeNames,
  bits: Uint8Array = new Uint8Array((s.edgeCount + 7) >>> 3),
): Uint8Array {
  return essentialBits(s, k, pageOwned, weakMapNames, bits);
}
