// Compact answers about one analysed snapshot (or two, for a diff), for agents: classes,
// suspects, the retainers of an object or of a class's largest member. Plain JSON under a
// budget (compact.ts); object ids are V8's, so an answer can name an object the next
// question asks about.

import { HeapAnalysis } from './graph/analysis';
import { diffClasses, summarizeClasses } from './classes';
import { className, edgeLabel, nodeLabel } from './describe';
import { retainerPaths, trimRoot, RetainerPath } from './paths';
import { clean, formatBytes } from './format';
import { Budgeted, clampBudget, fitToBudget, PagingOptions } from './compact';

export interface CompactClass { name: string; count: number; self: string; retained: string; retainedBytes: number; largestId: number }

export function summaryAnswer(a: HeapAnalysis, opts: PagingOptions = {}): { totalSize: string; nodeCount: number } & Budgeted<CompactClass> {
  const rows = summarizeClasses(a).map((r) => ({
    name: clean(r.name, 80), count: r.count, self: formatBytes(r.selfSize), retained: formatBytes(r.retainedSize),
    retainedBytes: r.retainedSize, largestId: r.largestId,
  }));
  const totalSize = formatBytes(a.retainedSize[a.snapshot.rootOrdinal] + a.snapshot.extraNativeBytes);
  return fitToBudget({ ...opts.envelope, totalSize, nodeCount: a.snapshot.nodeCount }, rows, clampBudget(opts.maxChars), opts.offset);
}

export interface CompactObject { id: number; name: string; className: string; self: number; retained: string; retainedBytes: number; distance: number }

export function objectInfo(a: HeapAnalysis, o: number): CompactObject {
  return {
    id: a.snapshot.nodeId[o], name: clean(nodeLabel(a, o), 80), className: clean(className(a, o), 80),
    self: a.selfSize[o], retained: formatBytes(a.retainedSize[o]), retainedBytes: a.retainedSize[o], distance: a.distance[o],
  };
}

/**
 * The objects that hold the most memory on their own: the largest dominators directly under
 * the roots (what a person would free by dropping one reference), beside the classes by
 * retained size. A stand-in for a ranked suspect list: it says where memory sits, not what grew.
 */
export function suspectsAnswer(a: HeapAnalysis, opts: PagingOptions & { top?: number } = {}):
  { method: string; topClasses: CompactClass[] } & Budgeted<CompactObject> {
  const s = a.snapshot;
  const top = Math.max(1, Math.min(50, opts.top ?? 10));
  const picked: number[] = [];
  for (let i = 0; i < s.nodeCount; i++) {
    if (i === s.rootOrdinal || s.nodeType[i] === a.kinds.synthetic || a.distance[i] < 0) continue;
    const dominator = a.idom[i];
    // Directly under the root or a synthetic root: nothing else of the program dominates it.
    if (dominator !== s.rootOrdinal && s.nodeType[dominator] !== a.kinds.synthetic) continue;
    picked.push(i);
  }
  picked.sort((x, y) => a.retainedSize[y] - a.retainedSize[x]);
  const summary = summaryAnswer(a, { maxChars: 20_000 }).items.slice(0, 5);
  return fitToBudget({
    ...opts.envelope,
    method: 'largest dominators under the roots, and the classes that retain the most (no growth data in one snapshot: diff two, or run find_leaks, for what grows)',
    topClasses: summary,
  }, picked.slice(0, top * 4).map((o) => objectInfo(a, o)), clampBudget(opts.maxChars), opts.offset);
}

/** The member of a class that retains the most: the one most worth explaining. -1 when none. */
export function largestOfClass(a: HeapAnalysis, name: string): number {
  let best = -1;
  for (let i = 0; i < a.snapshot.nodeCount; i++) {
    if (className(a, i) === name && (best < 0 || a.retainedSize[i] > a.retainedSize[best])) best = i;
  }
  return best;
}

/** A path as one line with ids: `(GC roots) → .shelf → Shelf @71235 → …`. Long paths fold their middle. */
export function pathLine(a: HeapAnalysis, p: RetainerPath): string {
  const step = (i: number): string => {
    const n = p.nodes[i];
    const node = `${clean(nodeLabel(a, n), 40)} @${a.snapshot.nodeId[n]}`;
    return i === 0 ? node : `${clean(edgeLabel(a, p.edges[i - 1], p.nodes[i - 1]), 40)} → ${node}`;
  };
  const n = p.nodes.length;
  const idx = n <= 9 ? [...Array(n).keys()] : [0, 1, 2, -1, n - 5, n - 4, n - 3, n - 2, n - 1];
  return idx.map((i) => (i < 0 ? `… ${n - 8} steps …` : step(i))).join(' → ');
}

export function retainersAnswer(a: HeapAnalysis, target: number, opts: PagingOptions & { paths?: number; distance?: Int32Array } = {}):
  { object: CompactObject; note?: string } & Budgeted<{ steps: number; path: string }> {
  const k = Math.max(1, Math.min(10, opts.paths ?? 3));
  const paths = retainerPaths(a, target, k, opts.distance).map((p) => trimRoot(a, p));
  const items = paths.map((p) => ({ steps: p.edges.length, path: pathLine(a, p) }));
  const note = items.length === 0 ? 'nothing retains it from a GC root (garbage, or held only weakly)' : undefined;
  return fitToBudget({ ...opts.envelope, object: objectInfo(a, target), ...(note ? { note } : {}) }, items, clampBudget(opts.maxChars), opts.offset);
}

export interface CompactGrowth { name: string; countBefore: number; countAfter: number; added: number; removed: number; sizeDelta: string; sizeDeltaBytes: number }

export function diffAnswer(before: HeapAnalysis, after: HeapAnalysis, opts: PagingOptions = {}): Budgeted<CompactGrowth> {
  const rows = diffClasses(before, after).map((r) => ({
    name: clean(r.name, 80), countBefore: r.countBefore, countAfter: r.countAfter, added: r.added, removed: r.removed,
    sizeDelta: (r.sizeDelta >= 0 ? '+' : '-') + formatBytes(Math.abs(r.sizeDelta)), sizeDeltaBytes: r.sizeDelta,
  }));
  return fitToBudget({ ...opts.envelope }, rows, clampBudget(opts.maxChars), opts.offset);
}
