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
import { findSuspects } from './workbench/suspects';

export interface CompactClass {
  name: string;
  count: number;
  self: string;
  retained: string;
  retainedBytes: number;
  largestId: number;
}

export function summaryAnswer(
  a: HeapAnalysis,
  opts: PagingOptions = {},
): { totalSize: string; nodeCount: number } & Budgeted<CompactClass> {
  const rows = summarizeClasses(a).map((r) => ({
    name: clean(r.name, 80),
    count: r.count,
    self: formatBytes(r.selfSize),
    retained: formatBytes(r.retainedSize),
    retainedBytes: r.retainedSize,
    largestId: r.largestId,
  }));
  const totalSize = formatBytes(a.retainedSize[a.snapshot.rootOrdinal] + a.snapshot.extraNativeBytes);
  return fitToBudget(
    { ...opts.envelope, totalSize, nodeCount: a.snapshot.nodeCount },
    rows,
    clampBudget(opts.maxChars),
    opts.offset,
  );
}

export interface CompactObject {
  id: number;
  name: string;
  className: string;
  self: number;
  retained: string;
  retainedBytes: number;
  distance: number;
}

export function objectInfo(a: HeapAnalysis, o: number): CompactObject {
  return {
    id: a.snapshot.nodeId[o],
    name: clean(nodeLabel(a, o), 80),
    className: clean(className(a, o), 80),
    self: a.selfSize[o],
    retained: formatBytes(a.retainedSize[o]),
    retainedBytes: a.retainedSize[o],
    distance: a.distance[o],
  };
}

export interface CompactSuspect {
  kind: 'accumulation' | 'dominator';
  id: number;
  name: string;
  retained: string;
  retainedBytes: number;
  /** Share of the heap, in percent. */
  percentOfHeap: number;
  members?: { name: string; count: number };
  sentence: string;
  path: string;
  /** Where a member (or the dominator) was allocated, when the snapshot tracked allocations. */
  at: string | null;
}

/**
 * Leak suspects from one snapshot (src/core/workbench/suspects.ts): accumulation points (a
 * container whose subtree holds many objects of one class) and big dominators, each with its
 * sentence and folded path. One snapshot says where memory sits, not what grows.
 */
export function suspectsAnswer(
  a: HeapAnalysis,
  opts: PagingOptions & { top?: number } = {},
): Budgeted<CompactSuspect> {
  const top = Math.max(1, Math.min(50, opts.top ?? 20));
  const items = findSuspects(a, { limit: top }).map((x): CompactSuspect => {
    const f = x.allocationStack?.[0];
    return {
      kind: x.kind,
      id: x.id,
      name: clean(x.name, 80),
      retained: formatBytes(x.retainedSize),
      retainedBytes: x.retainedSize,
      percentOfHeap: Math.round(x.share * 1000) / 10,
      ...(x.members ? { members: { name: clean(x.members.name, 80), count: x.members.count } } : {}),
      sentence: clean(x.sentence, 400),
      path: clean(x.foldedPath, 400),
      at: f ? `${clean(f.script, 300)}:${f.line}:${f.column}` : null,
    };
  });
  return fitToBudget({ ...opts.envelope }, items, clampBudget(opts.maxChars), opts.offset);
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

export function retainersAnswer(
  a: HeapAnalysis,
  target: number,
  opts: PagingOptions & { paths?: number; distance?: Int32Array } = {},
): { object: CompactObject; note?: string } & Budgeted<{ steps: number; path: string }> {
  const k = Math.max(1, Math.min(10, opts.paths ?? 3));
  const paths = retainerPaths(a, target, k, opts.distance).map((p) => trimRoot(a, p));
  const items = paths.map((p) => ({ steps: p.edges.length, path: pathLine(a, p) }));
  const note =
    items.length === 0 ? 'nothing retains it from a GC root (garbage, or held only weakly)' : undefined;
  return fitToBudget(
    { ...opts.envelope, object: objectInfo(a, target), ...(note ? { note } : {}) },
    items,
    clampBudget(opts.maxChars),
    opts.offset,
  );
}

export interface CompactGrowth {
  name: string;
  countBefore: number;
  countAfter: number;
  added: number;
  removed: number;
  sizeDelta: string;
  sizeDeltaBytes: number;
}

export function diffAnswer(
  before: HeapAnalysis,
  after: HeapAnalysis,
  opts: PagingOptions = {},
): Budgeted<CompactGrowth> {
  const rows = diffClasses(before, after).map((r) => ({
    name: clean(r.name, 80),
    countBefore: r.countBefore,
    countAfter: r.countAfter,
    added: r.added,
    removed: r.removed,
    sizeDelta: (r.sizeDelta >= 0 ? '+' : '-') + formatBytes(Math.abs(r.sizeDelta)),
    sizeDeltaBytes: r.sizeDelta,
  }));
  return fitToBudget({ ...opts.envelope }, rows, clampBudget(opts.maxChars), opts.offset);
}
