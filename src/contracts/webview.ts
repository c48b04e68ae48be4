// The messages that cross the webview boundary, in both directions.
//
// Host -> webview messages are trusted (the extension builds them), but the webview
// still treats every string inside them as untrusted heap text.
// Webview -> host messages are NOT trusted: a compromised or confused page must not be
// able to make the host open arbitrary things, so `parseWebviewMessage` is strict about
// types, integer ranges, string lengths and unknown keys, and returns undefined on any
// doubt rather than guessing.
//
// How a leak's graph reaches the webview (the choice issue 4 asks us to document):
//   1. host posts `showReport`; the webview lists the leaks and posts `selectLeak {index: 0}`.
//   2. while it waits, the webview draws the leak's own `retainerPath` (which every
//      report embeds) as a small graph, so a report alone is always viewable.
//   3. the host answers with `showGraph {leakIndex, graph}` (the full merged retainer
//      graph); the webview replaces the fallback drawing with it.
// A single object ("Why is this alive?") is just `showGraph` without a prior report.
// Lazy expansion: `expandRetainers` -> host answers `mergeGraph {forKey, graph}`, whose
// nodes/edges are merged into the current graph by node key.
// "Ignore this retainer": `ignoreRetainer` -> host answers with a fresh `showGraph`.
/* eslint-disable no-control-regex -- these patterns exist to find control characters in untrusted text */

import type { ClassSummary } from '../core/classes';
import type { LeakReport, RetainerGraph } from '../core/report';
import type { Suspect } from '../core/workbench/suspects';
import type { DominatorRow } from '../core/workbench/dominatorTree';
import type { SummaryRow } from '../core/workbench/summary';
import type { EditorComparison } from '../core/workbench/compare';
import type { Attribution, AttributionKey } from '../core/workbench/attribution';
import type { WasteReport } from '../core/workbench/waste';
import type { MergedPathsQuery } from '../core/workbench/mergedGraph';
import { isPlainObject } from './webviewCheck';
import type { ErrorCode } from './errors';

/** The workbench's rows, as the page receives them. */
export type { Suspect, DominatorRow, SummaryRow, EditorComparison, Attribution, WasteReport };
// The page's structural check of what the host sends (webviewCheck.ts), from the one module.
export { isHostMessage, isRetainerGraph } from './webviewCheck';

// ---- Host -> webview -------------------------------------------------------------

export interface ShowReportMessage {
  type: 'showReport';
  report: LeakReport;
  /** Which leak to draw first; defaults to 0. */
  selectedLeak?: number;
}

export interface ShowGraphMessage {
  type: 'showGraph';
  graph: RetainerGraph;
  /** The leak this graph explains; absent for a single object ("Why is this alive?"). */
  leakIndex?: number;
  /** Heading shown above the graph, e.g. "Why is Book @1234 alive?". */
  title?: string;
  /** Cut graphs larger than this to their most important paths (default 5000). */
  maxVisibleNodes?: number;
  /** How the paths were drawn, and whether the object was asked about while paused (the stack toggle applies). */
  view?: { rawPaths: boolean; stackPaths: boolean; paused: boolean };
}

export interface MergeGraphMessage {
  type: 'mergeGraph';
  /** The node whose retainers were asked for. */
  forKey: string;
  graph: RetainerGraph;
}

/** One row of a snapshot's Summary (classes by retained size); `largestId` is the member to explain when chosen. */
export type ClassRow = Pick<ClassSummary, 'name' | 'count' | 'selfSize' | 'retainedSize' | 'largestId'> & {
  /** Growth since the previous overview of the same program (objgraph's show_growth). */
  countDelta?: number;
  sizeDelta?: number;
};

/** A snapshot opened on its own: its classes, each row opening the graph of its largest member. */
export interface ShowSummaryMessage {
  type: 'showSummary';
  title: string;
  classes: ClassRow[];
}

/**
 * The snapshot workbench (a .heapsnapshot opened on its own): leak suspects first, then the
 * dominator tree from the root (one level; `expandDominator` asks for more), then the Summary
 * split by definition site. Choosing a suspect, a tree row or a class posts `selectNode`.
 */
export interface ShowWorkbenchMessage {
  type: 'showWorkbench';
  title: string;
  /**
   * Shown beside the panel's own content (a debug session's "why is this alive?" graph, hunt
   * report or class list), whose title and list stay; absent for a .heapsnapshot's editor.
   */
  alongside?: boolean;
  suspects: Suspect[];
  dominators: DominatorRow;
  /**
   * The Summary's rows, when the host has them already; absent, the page asks for them
   * (`summaryRows`) when the Summary tab is first shown, so the first view does not wait.
   */
  summary?: SummaryRow[];
}

/** The answer to `summaryRows`: the Summary split by definition site. */
export interface ShowSummaryRowsMessage {
  type: 'showSummaryRows';
  summary: SummaryRow[];
}

/** The answer to `expandDominator`: the row again, with its children. */
export interface DominatorChildrenMessage {
  type: 'dominatorChildren';
  row: DominatorRow;
}

/** The answer to `compareWith`: growth by class against the snapshot the person chose. */
export interface ShowComparisonMessage {
  type: 'showComparison';
  /** The other file's name (untrusted as text). */
  other: string;
  comparison: EditorComparison;
}

/** The answer to `attribution`: retained size by package or by file. */
export interface ShowAttributionMessage {
  type: 'showAttribution';
  attribution: Attribution;
}

/** The answer to `waste`. */
export interface ShowWasteMessage {
  type: 'showWaste';
  waste: WasteReport;
}

/**
 * A question from the page the host could not answer (the worker failed, ran out of memory, the
 * file went away): the page shows the message where the answer would go, instead of "busy" forever.
 */
export interface RequestFailedMessage {
  type: 'requestFailed';
  /** The `type` of the webview's message that failed. */
  request: WebviewMessage['type'];
  code: ErrorCode;
  message: string;
}

export type HostMessage =
  | RequestFailedMessage
  | ShowReportMessage
  | ShowGraphMessage
  | MergeGraphMessage
  | ShowSummaryMessage
  | ShowWorkbenchMessage
  | DominatorChildrenMessage
  | ShowComparisonMessage
  | ShowAttributionMessage
  | ShowWasteMessage
  | ShowSummaryRowsMessage;

// ---- Webview -> host -------------------------------------------------------------

export interface ReadyMessage {
  type: 'ready';
}
export interface SelectLeakMessage {
  type: 'selectLeak';
  index: number;
}
/** Ask for more retainers of one node (the "N more" on a node). */
export interface ExpandRetainersMessage {
  type: 'expandRetainers';
  key: string;
  id?: number;
}
/** Ask for the next path that avoids this retainer. */
export interface IgnoreRetainerMessage {
  type: 'ignoreRetainer';
  key: string;
  id?: number;
}
/** Ask for the graph nodes the host cut away (RetainerGraph.truncated). */
export interface LoadMoreMessage {
  type: 'loadMore';
}
/** Ask for the retainer graph of one object (a Summary row). */
export interface SelectNodeMessage {
  type: 'selectNode';
  id: number;
}
export interface OpenSourceMessage {
  type: 'openSource';
  path: string;
  line: number;
  column: number;
}
/** The host shows a save dialog and writes this text. */
export interface ExportSvgMessage {
  type: 'exportSvg';
  svg: string;
}
/** Ask for the children of one dominator-tree row (by snapshot id). */
export interface ExpandDominatorMessage {
  type: 'expandDominator';
  id: number;
}
/** "Compare with…": the host asks which snapshot (an open dialog); the page names no file. */
export interface CompareWithMessage {
  type: 'compareWith';
}

/** Ask for the Attribution tab's rows (computed when first asked: a pass over the heap). */
export interface AttributionRequestMessage {
  type: 'attribution';
  by: AttributionKey;
}
/** Ask for the Summary tab's rows (computed when first asked: a pass over every node). */
export interface SummaryRowsRequestMessage {
  type: 'summaryRows';
}
/** Ask for the Waste tab's findings. */
export interface WasteRequestMessage {
  type: 'waste';
}
/** Draw the merged shortest paths of the Summary row that `id` belongs to (merged.ts). */
export interface MergedPathsMessage extends MergedPathsQuery {
  type: 'mergedPaths';
}

/**
 * How paths are drawn: `rawPaths` every step as V8 has it (default: Node's plumbing folded);
 * `stackPaths` also the paths through the paused frames (default: what holds it after they return).
 */
export interface ViewOptionsMessage {
  type: 'viewOptions';
  rawPaths: boolean;
  stackPaths: boolean;
}

export type WebviewMessage =
  | ViewOptionsMessage
  | ReadyMessage
  | SelectLeakMessage
  | ExpandRetainersMessage
  | IgnoreRetainerMessage
  | LoadMoreMessage
  | SelectNodeMessage
  | OpenSourceMessage
  | ExportSvgMessage
  | ExpandDominatorMessage
  | CompareWithMessage
  | AttributionRequestMessage
  | WasteRequestMessage
  | SummaryRowsRequestMessage
  | MergedPathsMessage;

export const LIMITS = {
  maxLeakIndex: 100_000,
  maxKeyLength: 256,
  maxNodeId: Number.MAX_SAFE_INTEGER,
  maxPathLength: 4096,
  maxLine: 10_000_000,
  maxSvgLength: 64 * 1024 * 1024,
} as const;

type Fields = Record<string, unknown>;

/** Reject extra keys so nothing unexpected rides along into host code. */
function hasOnlyKeys(value: Fields, allowed: readonly string[]): boolean {
  return Object.keys(value).every((k) => allowed.includes(k));
}

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isText(value: unknown, min: number, max: number): value is string {
  // Control characters never belong in a node key or a file path.

  return (
    typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    !/[\u0000-\u001f\u007f]/.test(value)
  );
}

function parseNodeRef(m: Fields, type: 'expandRetainers' | 'ignoreRetainer'): WebviewMessage | undefined {
  if (!hasOnlyKeys(m, ['type', 'key', 'id'])) return undefined;
  if (!isText(m.key, 1, LIMITS.maxKeyLength)) return undefined;
  if (m.id === undefined) return { type, key: m.key };
  if (!isInt(m.id, 0, LIMITS.maxNodeId)) return undefined;
  return { type, key: m.key, id: m.id };
}

/** Validate a message posted by the webview; undefined means "drop it". */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isPlainObject(raw) || typeof raw.type !== 'string') return undefined;
  const m = raw;
  switch (m.type) {
    case 'ready':
    case 'loadMore':
    case 'compareWith':
    case 'waste':
    case 'summaryRows':
      return hasOnlyKeys(m, ['type']) ? { type: m.type } : undefined;
    case 'attribution':
      if (!hasOnlyKeys(m, ['type', 'by']) || (m.by !== 'package' && m.by !== 'file')) return undefined;
      return { type: 'attribution', by: m.by };
    case 'mergedPaths':
      if (!hasOnlyKeys(m, ['type', 'id', 'by']) || !isInt(m.id, 0, LIMITS.maxNodeId)) return undefined;
      if (m.by !== 'site' && m.by !== 'class') return undefined;
      return { type: 'mergedPaths', id: m.id, by: m.by };
    case 'selectLeak':
      if (!hasOnlyKeys(m, ['type', 'index']) || !isInt(m.index, 0, LIMITS.maxLeakIndex)) return undefined;
      return { type: 'selectLeak', index: m.index };
    case 'selectNode':
    case 'expandDominator':
      if (!hasOnlyKeys(m, ['type', 'id']) || !isInt(m.id, 0, LIMITS.maxNodeId)) return undefined;
      return { type: m.type, id: m.id };
    case 'expandRetainers':
    case 'ignoreRetainer':
      return parseNodeRef(m, m.type);
    case 'openSource':
      if (!hasOnlyKeys(m, ['type', 'path', 'line', 'column'])) return undefined;
      if (!isText(m.path, 1, LIMITS.maxPathLength)) return undefined;
      if (!isInt(m.line, 1, LIMITS.maxLine) || !isInt(m.column, 1, LIMITS.maxLine)) return undefined;
      return { type: 'openSource', path: m.path, line: m.line, column: m.column };
    case 'viewOptions':
      if (
        !hasOnlyKeys(m, ['type', 'rawPaths', 'stackPaths']) ||
        typeof m.rawPaths !== 'boolean' ||
        typeof m.stackPaths !== 'boolean'
      )
        return undefined;
      return { type: 'viewOptions', rawPaths: m.rawPaths, stackPaths: m.stackPaths };
    case 'exportSvg':
      if (!hasOnlyKeys(m, ['type', 'svg']) || typeof m.svg !== 'string') return undefined;
      if (m.svg.length > LIMITS.maxSvgLength || !/^<svg[\s>]/.test(m.svg)) return undefined;
      return { type: 'exportSvg', svg: m.svg };
    default:
      return undefined;
  }
}
