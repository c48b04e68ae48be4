// Compact answers for agents (VS Code's language-model tools, the MCP server) and CI: a leak
// report or a snapshot reduced to what a model can read in one go. A raw snapshot, or even a
// full report with every stack and path, drowns an agent; here every answer is plain JSON
// under a stated character budget, with paging where a list is longer than the budget.
// Heap text is untrusted: it passes `clean` (control characters escaped, length cut) first.

import { GraphEdge, Leak, LeakReport, RetainerGraph, SourceFrame, RetainerStep } from './report';
import { clean, formatBytes } from './format';

/** The default size of one answer, in characters of JSON; a caller may ask for 500 to 20,000. */
export const DEFAULT_BUDGET = 4000;
export const MIN_BUDGET = 500;
export const MAX_BUDGET = 20_000;

export function clampBudget(maxChars: number | undefined): number {
  if (maxChars === undefined || !Number.isFinite(maxChars)) return DEFAULT_BUDGET;
  return Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, Math.round(maxChars)));
}

/**
 * The frame a person should open for a leak: the first frame of the allocation stack that is
 * the program's own code (not node_modules, not Node's internals). A report that already names
 * one (a `userFrame` field) is taken at its word.
 */
export function userFrameOf(leak: Leak): SourceFrame | undefined {
  const named = (leak as Leak & { userFrame?: SourceFrame | null }).userFrame;
  if (named) return named;
  const site = leak.allocationSites[0];
  if (!site) return undefined;
  const frames = site.stack.length > 0 ? site.stack : [site];
  return (
    frames.find((f) => !/[\\/]node_modules[\\/]/.test(f.path) && !f.path.startsWith('node:')) ?? frames[0]
  );
}

/** `file:line:column` of a frame, with the file as V8 or the source map named it. */
export function frameLocation(f: SourceFrame): string {
  return `${clean(f.path, 300)}:${f.line}:${f.column}`;
}

/**
 * A retainer path on one line: `(GC roots) → … → ParseBookError → reasons → [3140] → Book`.
 * The middle of a long chain (timer lists, promise chains) is folded; its ends say where it
 * starts and what it holds.
 */
export function foldPath(steps: RetainerStep[], keepHead = 2, keepTail = 4): string {
  const parts = (s: RetainerStep): string[] =>
    s.edge === null ? [clean(s.node, 40)] : [clean(s.edge, 40), clean(s.node, 40)];
  if (steps.length <= keepHead + keepTail + 1) return steps.flatMap(parts).join(' → ');
  const head = steps.slice(0, keepHead).flatMap(parts);
  const tail = steps.slice(-keepTail).flatMap(parts);
  return [...head, `… ${steps.length - keepHead - keepTail} steps …`, ...tail].join(' → ');
}

export interface CompactLeak {
  rank: number;
  name: string;
  count: number;
  retained: string;
  retainedBytes: number;
  growthPerIterationBytes: number;
  sentence: string;
  /** The user frame: where to look (file:line:column), and the function there. */
  at: string | null;
  function: string | null;
  path: string;
}

export function compactLeak(leak: Leak, rank: number): CompactLeak {
  const frame = userFrameOf(leak);
  return {
    rank,
    name: clean(leak.name, 80),
    count: leak.count,
    retained: formatBytes(leak.retainedSize),
    retainedBytes: leak.retainedSize,
    growthPerIterationBytes: leak.growthPerIteration,
    sentence: clean(leak.explanation, 400),
    at: frame ? frameLocation(frame) : null,
    function: frame ? clean(frame.functionName, 80) : null,
    path: foldPath(leak.retainerPath),
  };
}

export interface PagingOptions {
  maxChars?: number;
  offset?: number;
  /** Fields the caller puts first in the answer (a handle): counted in the budget like the rest. */
  envelope?: Record<string, unknown>;
}

export interface Page {
  offset: number;
  returned: number;
  total: number;
  /** Where the next page starts, or null on the last page. */
  nextOffset: number | null;
}

export interface Budgeted<T> {
  items: T[];
  page: Page;
  budget: { maxChars: number; note?: string };
}

/**
 * As many items from `offset` as fit, together with `envelope`, in `maxChars` characters of
 * JSON. One item always goes in (an item is small by construction), so paging always moves.
 */
export function fitToBudget<T, E extends object>(
  envelope: E,
  all: T[],
  maxChars: number,
  offset = 0,
): E & Budgeted<T> {
  const start = Math.max(0, Math.min(all.length, Math.floor(offset)));
  const answer = (items: T[], next: number | null): E & Budgeted<T> => ({
    ...envelope,
    items,
    page: { offset: start, returned: items.length, total: all.length, nextOffset: next },
    budget: { maxChars, ...(next !== null ? { note: `more items: ask again with offset ${next}` } : {}) },
  });
  const items: T[] = [];
  for (let i = start; i < all.length; i++) {
    items.push(all[i]);
    const next = i + 1 < all.length ? i + 1 : null;
    const size = JSON.stringify(answer(items, next)).length;
    if (size <= maxChars) continue;
    if (items.length > 1) {
      items.pop();
      return answer(items, i);
    }
    // One item alone is over the budget: cut its longest texts until it fits.
    let over = size - maxChars;
    for (let tries = 0; tries < 4 && over > 0; tries++) {
      items[0] = shrink(items[0], over);
      over = JSON.stringify(answer(items, next)).length - maxChars;
    }
    if (over > 0) return answer(items, next);
  }
  return answer(items, null);
}

/** A copy of `item` with its longest string fields cut by `excess` characters in all (no field below 40). */
function shrink<T>(item: T, excess: number): T {
  if (typeof item !== 'object' || item === null) return item;
  const copy = { ...item } as Record<string, unknown>;
  let left = excess + 8;
  while (left > 0) {
    const longest = Object.keys(copy)
      .filter((k) => typeof copy[k] === 'string' && copy[k].length > 40)
      .sort((x, y) => (copy[y] as string).length - (copy[x] as string).length)[0];
    if (!longest) break;
    const s = copy[longest] as string;
    // JSON escapes can make a character cost more than one: cut a little extra.
    const keep = Math.max(40, s.length - left - 2);
    copy[longest] = s.slice(0, keep - 1) + '…';
    left -= s.length - keep;
  }
  return copy as T;
}

/** A hunt's report as a compact answer: the leaks, most growth first, within the budget. */
export function compactReport(
  report: LeakReport,
  opts: PagingOptions & { iterations?: number } = {},
): { verdict: string; iterations?: number } & Budgeted<CompactLeak> {
  const leaks = report.leaks.map((l, i) => compactLeak(l, i + 1));
  const verdict =
    leaks.length === 0
      ? 'no leaks: nothing allocated during the iterations kept growing'
      : `${leaks.length} leak${leaks.length === 1 ? '' : 's'}, most growth first`;
  return fitToBudget(
    { ...opts.envelope, verdict, ...(opts.iterations ? { iterations: opts.iterations } : {}) },
    leaks,
    clampBudget(opts.maxChars),
    opts.offset,
  );
}

/**
 * Paths from a retainer graph (GC roots at the top, the object at the bottom), one per
 * distinct first retainer of the target, each climbing by the retainer nearest a root: the
 * graph the webview draws, read back as lines an agent can quote.
 */
export function pathsFromGraph(graph: RetainerGraph, k = 3): string[] {
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  const into = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    if (!into.has(e.to)) into.set(e.to, []);
    into.get(e.to)!.push(e);
  }
  const nearest = (edges: GraphEdge[]): GraphEdge[] =>
    [...edges].sort(
      (x, y) => (byKey.get(x.from)?.distance ?? Infinity) - (byKey.get(y.from)?.distance ?? Infinity),
    );
  const label = (key: string): string => {
    const n = byKey.get(key);
    return n ? `${clean(n.name, 40)}${n.id !== undefined ? ` @${n.id}` : ''}` : key;
  };
  const paths: string[] = [];
  for (const target of graph.nodes.filter((n) => n.target)) {
    for (const first of nearest(into.get(target.key) ?? []).slice(0, k)) {
      const steps = [label(target.key), clean(first.label, 40)];
      const seen = new Set([target.key]);
      let at = first.from;
      while (!seen.has(at)) {
        seen.add(at);
        steps.push(label(at));
        const up = nearest(into.get(at) ?? [])[0];
        if (!up) break;
        steps.push(clean(up.label, 40));
        at = up.from;
      }
      const line = steps.reverse();
      paths.push(
        line.length > 17
          ? [...line.slice(0, 5), `… ${line.length - 14} more …`, ...line.slice(-9)].join(' → ')
          : line.join(' → '),
      );
      if (paths.length >= k) return paths;
    }
  }
  return paths;
}
