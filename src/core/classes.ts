// Grouping by class: the Summary view (count, self size, retained size per class) and the
// growth between two snapshots of one process (objgraph's show_growth).

import { HeapAnalysis } from './graph/analysis';
import { className } from './describe';

export interface ClassSummary {
  name: string;
  count: number;
  selfSize: number;
  /** Retained by the class as a whole: members dominated by another member count once. */
  retainedSize: number;
  /** The smallest distance of any member. */
  distance: number;
  /** Snapshot id of the member that retains the most: the one worth explaining first. */
  largestId: number;
}

/** Class index per node, plus the class names. */
export function classIndex(a: HeapAnalysis): { names: string[]; ofNode: Uint32Array } {
  const n = a.snapshot.nodeCount;
  const ofNode = new Uint32Array(n);
  const byName = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = className(a, i);
    let c = byName.get(name);
    if (c === undefined) {
      c = names.length;
      names.push(name);
      byName.set(name, c);
    }
    ofNode[i] = c;
  }
  return { names, ofNode };
}

export interface DominatedNodes {
  /** Node v's children are `list[first[v]] .. list[first[v + 1] - 1]`. */
  first: Uint32Array;
  list: Uint32Array;
}

/** One per analysis: the suspects, attribution, the dominator tree and the Summary all walk it. */
const dominatedCache = new WeakMap<HeapAnalysis, DominatedNodes>();

/**
 * Children of each node in the dominator tree, as flat arrays (counting sort by dominator).
 * Built once per analysis and shared, so callers must not write to it.
 */
export function dominatedNodes(a: HeapAnalysis): DominatedNodes {
  let tree = dominatedCache.get(a);
  if (!tree) dominatedCache.set(a, (tree = buildDominatedNodes(a)));
  return tree;
}

function buildDominatedNodes(a: HeapAnalysis): DominatedNodes {
  const n = a.snapshot.nodeCount;
  const root = a.snapshot.rootOrdinal;
  const first = new Uint32Array(n + 1);
  const list = new Uint32Array(Math.max(0, n - 1));
  for (let i = 0; i < n; i++) if (i !== root) first[a.idom[i] + 1]++;
  for (let i = 0; i < n; i++) first[i + 1] += first[i];
  const fill = first.slice(0, n);
  for (let i = 0; i < n; i++) if (i !== root) list[fill[a.idom[i]]++] = i;
  return { first, list };
}

/** Nodes with no self size (synthetic roots and the like) are not counted, as in DevTools. */
export function summarizeClasses(a: HeapAnalysis): ClassSummary[] {
  const { names, ofNode } = classIndex(a);
  return summarizeGroups(a, names, ofNode);
}

/** The summary over any grouping of nodes (`ofNode[i]` is node i's index into `names`). */
export function summarizeGroups(a: HeapAnalysis, names: string[], ofNode: ArrayLike<number>): ClassSummary[] {
  const rows: ClassSummary[] = names.map((name) => ({
    name,
    count: 0,
    selfSize: 0,
    retainedSize: 0,
    distance: Infinity,
    largestId: 0,
  }));
  const largest = new Int32Array(names.length).fill(-1);
  const n = a.snapshot.nodeCount;
  for (let i = 0; i < n; i++) {
    const size = a.selfSize[i];
    if (!size) continue;
    const c = ofNode[i];
    const r = rows[c];
    if (largest[c] < 0 || a.retainedSize[i] > a.retainedSize[largest[c]]) largest[c] = i;
    r.count++;
    r.selfSize += size;
    const d = a.distance[i];
    if (d >= 0 && d < r.distance) r.distance = d;
  }
  // Walk the dominator tree; a member adds its retained size only when no ancestor of the
  // same class already did. Only a member that was counted blocks those below it (as in
  // DevTools): a zero-size member (a synthetic root) is not in the class, so it hides nothing.
  const { first, list } = dominatedNodes(a);
  // One typed stack: v to enter a node, ~v (negative) to leave a counted one.
  const counting = new Uint8Array(names.length);
  const retained = new Float64Array(names.length);
  let stack = new Int32Array(1 << 16);
  let sp = 0;
  stack[sp++] = a.snapshot.rootOrdinal;
  while (sp > 0) {
    const top = stack[--sp];
    if (top < 0) {
      counting[ofNode[~top]] = 0;
      continue;
    }
    const v = top;
    const c = ofNode[v];
    const kids = first[v + 1] - first[v];
    if (sp + kids + 1 > stack.length) {
      const grown = new Int32Array(Math.max(stack.length * 2, sp + kids + 1));
      grown.set(stack.subarray(0, sp));
      stack = grown;
    }
    if (!counting[c] && a.selfSize[v]) {
      retained[c] += a.retainedSize[v];
      counting[c] = 1;
      stack[sp++] = ~v;
    }
    for (let j = first[v]; j < first[v + 1]; j++) stack[sp++] = list[j];
  }
  rows.forEach((r, c) => (r.retainedSize = retained[c]));
  rows.forEach((r, c) => {
    if (largest[c] >= 0) r.largestId = a.snapshot.nodeId[largest[c]];
  });
  return rows
    .filter((r) => r.count > 0)
    .sort((x, y) => y.retainedSize - x.retainedSize || y.selfSize - x.selfSize);
}

export interface ClassGrowth {
  name: string;
  countBefore: number;
  countAfter: number;
  countDelta: number;
  sizeDelta: number;
  /** Objects in the later snapshot whose ids did not exist in the earlier one. */
  added: number;
  /** Objects of the earlier snapshot that are gone from the later one. */
  removed: number;
}

/**
 * Growth by class between two snapshots of one process. V8 keeps object ids stable across
 * snapshots of one heap, so "added" and "removed" are exact, not inferred from counts.
 */
export function diffClasses(before: HeapAnalysis, after: HeapAnalysis): ClassGrowth[] {
  const rows = new Map<string, ClassGrowth>();
  const row = (name: string): ClassGrowth => {
    let r = rows.get(name);
    if (!r)
      rows.set(
        name,
        (r = { name, countBefore: 0, countAfter: 0, countDelta: 0, sizeDelta: 0, added: 0, removed: 0 }),
      );
    return r;
  };
  const beforeIds = new Set<number>();
  const afterIds = new Set<number>();
  for (let i = 0; i < before.snapshot.nodeCount; i++) beforeIds.add(before.snapshot.nodeId[i]);
  for (let i = 0; i < after.snapshot.nodeCount; i++) afterIds.add(after.snapshot.nodeId[i]);
  for (let i = 0; i < before.snapshot.nodeCount; i++) {
    if (!before.selfSize[i]) continue;
    const r = row(className(before, i));
    r.countBefore++;
    r.sizeDelta -= before.selfSize[i];
    if (!afterIds.has(before.snapshot.nodeId[i])) r.removed++;
  }
  for (let i = 0; i < after.snapshot.nodeCount; i++) {
    if (!after.selfSize[i]) continue;
    const r = row(className(after, i));
    r.countAfter++;
    r.sizeDelta += after.selfSize[i];
    if (!beforeIds.has(after.snapshot.nodeId[i])) r.added++;
  }
  for (const r of rows.values()) r.countDelta = r.countAfter - r.countBefore;
  return [...rows.values()]
    .filter((r) => r.countDelta !== 0 || r.sizeDelta !== 0 || r.added !== 0)
    .sort((x, y) => y.sizeDelta - x.sizeDelta || y.countDelta - x.countDelta);
}
