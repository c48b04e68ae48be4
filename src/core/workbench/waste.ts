// Memory spent on nothing: the same string held many times, a short slice keeping a long
// string alive, collections that are empty or far larger than what they hold, and arrays
// with identical contents. V8 writes a string's content as its node name and dedups names
// in the string table, so equal contents share one name index: grouping is by that index.

import { HeapAnalysis } from '../graph/analysis';
import { className, valuePreview } from '../describe';

export interface DuplicateString {
  preview: string;
  length: number;
  count: number;
  wastedSize: number;
  sampleIds: number[];
}
/** V8 names a sliced string `(sliced string)`, not by its content: the parent is what can be shown. */
export interface SlicedString {
  id: number;
  parentPreview: string;
  parentId: number;
  parentSize: number;
}
export interface CollectionWaste {
  kind: 'empty' | 'oversized';
  className: string;
  count: number;
  wastedSize: number;
  sampleIds: number[];
}
export interface DuplicateArray {
  count: number;
  length: number;
  wastedSize: number;
  sampleIds: number[];
}

export interface WasteReport {
  duplicateStrings: DuplicateString[];
  slicedStrings: SlicedString[];
  collections: CollectionWaste[];
  duplicateArrays: DuplicateArray[];
  /** Sum of wasted bytes over every finding above. */
  totalWasted: number;
}

export interface WasteOptions {
  limit?: number;
  minCount?: number;
}

/** A backing store this many times larger than its entries need is oversized. */
const OVERSIZE_FACTOR = 4;
const MIN_OVERSIZED_BYTES = 1024;
/** Arrays longer than this are not compared element by element. */
const MAX_COMPARED_LENGTH = 256;

export function findWaste(a: HeapAnalysis, options: WasteOptions = {}): WasteReport {
  const limit = options.limit ?? 20;
  const duplicateStrings = duplicatedStrings(a, options.minCount ?? 2, limit);
  const slicedStrings = slicedKeepingParents(a).slice(0, limit);
  const { collections, duplicateArrays } = collectionWaste(a, limit);
  const totalWasted =
    [...duplicateStrings, ...collections, ...duplicateArrays].reduce((t, x) => t + x.wastedSize, 0) +
    slicedStrings.reduce((t, x) => t + x.parentSize, 0);
  return { duplicateStrings, slicedStrings, collections, duplicateArrays, totalWasted };
}

function duplicatedStrings(a: HeapAnalysis, minCount: number, limit: number): DuplicateString[] {
  const s = a.snapshot;
  const k = a.kinds;
  // A concatenated string is named `(concatenated string)`, not by its content (V8 writes
  // none): grouped by name, every cons string would be one "duplicate" of all the others.
  const consName = s.strings.indexOf('(concatenated string)');
  const isString = (i: number): boolean =>
    (s.nodeType[i] === k.string || (s.nodeType[i] === k.consString && s.nodeName[i] !== consName)) &&
    a.distance[i] >= 0;
  const count = new Uint32Array(s.strings.length);
  const bytes = new Float64Array(s.strings.length);
  for (let i = 0; i < s.nodeCount; i++) {
    if (!isString(i)) continue;
    count[s.nodeName[i]]++;
    bytes[s.nodeName[i]] += a.selfSize[i];
  }
  const top: number[] = [];
  // The empty string is V8's placeholder name for some string nodes, not a copy of anything.
  for (let name = 0; name < count.length; name++)
    if (count[name] >= minCount && !s.strings.equals(name, '')) top.push(name);
  const wasted = (name: number): number => bytes[name] - bytes[name] / count[name];
  top.sort((x, y) => wasted(y) - wasted(x));
  top.length = Math.min(top.length, limit);
  // One more pass collects a few examples of each reported string.
  const rows = new Map<number, DuplicateString>();
  for (const name of top) {
    rows.set(name, {
      preview: '',
      length: s.strings.get(name).length,
      count: count[name],
      wastedSize: wasted(name),
      sampleIds: [],
    });
  }
  for (let i = 0; i < s.nodeCount; i++) {
    const r = isString(i) ? rows.get(s.nodeName[i]) : undefined;
    if (!r || r.sampleIds.length >= 5) continue;
    if (r.sampleIds.length === 0) r.preview = valuePreview(a, i, 80) ?? '';
    r.sampleIds.push(s.nodeId[i]);
  }
  return [...rows.values()];
}

/** A sliced string points at its parent; a slice much shorter than the parent keeps it all alive. */
function slicedKeepingParents(a: HeapAnalysis): SlicedString[] {
  const s = a.snapshot;
  const out: SlicedString[] = [];
  for (let i = 0; i < s.nodeCount; i++) {
    if (s.nodeType[i] !== a.kinds.slicedString || a.distance[i] < 0) continue;
    for (let e = s.firstEdge[i]; e < s.firstEdge[i + 1]; e++) {
      if (s.edgeNameString(e) !== 'parent') continue;
      const p = s.edgeTarget[e];
      const parentSize = a.selfSize[p];
      // Only a parent that the slice alone keeps alive is wasted.
      if (parentSize >= MIN_OVERSIZED_BYTES && a.idom[p] === i) {
        out.push({
          id: s.nodeId[i],
          parentPreview: valuePreview(a, p, 60) ?? '',
          parentId: s.nodeId[p],
          parentSize,
        });
      }
    }
  }
  return out.sort((x, y) => y.parentSize - x.parentSize);
}

function collectionWaste(
  a: HeapAnalysis,
  limit: number,
): { collections: CollectionWaste[]; duplicateArrays: DuplicateArray[] } {
  const s = a.snapshot;
  const k = a.kinds;
  const rows = new Map<string, CollectionWaste>();
  const add = (kind: CollectionWaste['kind'], cls: string, wasted: number, n: number): void => {
    const key = `${kind}:${cls}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { kind, className: cls, count: 0, wastedSize: 0, sampleIds: [] }));
    r.count++;
    r.wastedSize += wasted;
    if (r.sampleIds.length < 5) r.sampleIds.push(s.nodeId[n]);
  };
  const arrays = new Map<string, DuplicateArray>();
  for (let n = 0; n < s.nodeCount; n++) {
    if (s.nodeType[n] !== k.object || a.distance[n] < 0 || a.distance[n] >= 100000000) continue;
    const cls = className(a, n);
    if (cls !== 'Map' && cls !== 'Set' && cls !== 'Array') continue;
    const store = internalChild(a, n, cls === 'Array' ? 'elements' : 'table');
    const storeSize = store < 0 ? 0 : s.nodeSelfSize[store];
    const entries = store < 0 ? 0 : entryCount(a, store);
    if (cls === 'Array') {
      // Arrays of small integers or doubles have no element edges: only their store size tells.
      const name = store < 0 ? '' : s.nodeNameString(store);
      if (store < 0) add('empty', cls, a.selfSize[n], n);
      else if (
        name === '(object elements)' &&
        storeSize >= MIN_OVERSIZED_BYTES &&
        storeSize > OVERSIZE_FACTOR * 8 * (entries + 2)
      )
        add('oversized', cls, storeSize - 8 * (entries + 2), n);
      if (entries >= 2 && entries <= MAX_COMPARED_LENGTH) {
        const key = elementKey(a, store);
        let d = arrays.get(key);
        if (!d) arrays.set(key, (d = { count: 0, length: entries, wastedSize: 0, sampleIds: [] }));
        if (d.count > 0) d.wastedSize += a.retainedSize[n];
        d.count++;
        if (d.sampleIds.length < 5) d.sampleIds.push(s.nodeId[n]);
      }
    } else if (entries === 0) {
      add('empty', cls, a.retainedSize[n], n);
    }
  }
  const duplicateArrays = [...arrays.values()]
    .filter((d) => d.count > 1)
    .sort((x, y) => y.wastedSize - x.wastedSize)
    .slice(0, limit);
  return { collections: [...rows.values()].sort((x, y) => y.wastedSize - x.wastedSize), duplicateArrays };
}

function internalChild(a: HeapAnalysis, n: number, name: string): number {
  const s = a.snapshot;
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeType[e] === a.kinds.eInternal && s.edgeNameString(e) === name) return s.edgeTarget[e];
  }
  return -1;
}

/** Entries of a backing store: its edges other than the map (hidden class) pointer. */
function entryCount(a: HeapAnalysis, store: number): number {
  const s = a.snapshot;
  let c = 0;
  for (let e = s.firstEdge[store]; e < s.firstEdge[store + 1]; e++) if (s.edgeNameString(e) !== 'map') c++;
  return c;
}

/** The array's contents as a key: strings by content, other values by identity. */
function elementKey(a: HeapAnalysis, store: number): string {
  const s = a.snapshot;
  const k = a.kinds;
  const parts: string[] = [String(s.nodeSelfSize[store])];
  for (let e = s.firstEdge[store]; e < s.firstEdge[store + 1]; e++) {
    if (s.edgeNameString(e) === 'map') continue;
    const t = s.edgeTarget[e];
    const type = s.nodeType[t];
    parts.push(type === k.string || type === k.consString ? `s${s.nodeName[t]}` : `n${t}`);
  }
  return parts.join(',');
}
