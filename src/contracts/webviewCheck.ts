// The webview's structural check of what the host sent (the messages are in webview.ts).
// Not a security boundary (the host is trusted) but it keeps a malformed graph from
// throwing half-way through a render. Heap strings are still escaped at display time.

import type { GraphEdge, GraphNode, RetainerGraph } from '../core/report';
import type { DominatorRow, HostMessage } from './webview';

type Fields = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isGraphNode(n: unknown): n is GraphNode {
  return (
    isPlainObject(n) &&
    typeof n.key === 'string' &&
    typeof n.kind === 'string' &&
    typeof n.name === 'string' &&
    typeof n.selfSize === 'number' &&
    typeof n.retainedSize === 'number' &&
    typeof n.distance === 'number'
  );
}

function isGraphEdge(e: unknown): e is GraphEdge {
  return (
    isPlainObject(e) && typeof e.from === 'string' && typeof e.to === 'string' && typeof e.label === 'string'
  );
}

export function isRetainerGraph(g: unknown): g is RetainerGraph {
  return (
    isPlainObject(g) &&
    Array.isArray(g.nodes) &&
    Array.isArray(g.edges) &&
    g.nodes.every(isGraphNode) &&
    g.edges.every(isGraphEdge)
  );
}

export function isHostMessage(raw: unknown): raw is HostMessage {
  if (!isPlainObject(raw)) return false;
  switch (raw.type) {
    case 'showReport':
      return isPlainObject(raw.report) && Array.isArray(raw.report.leaks);
    case 'showGraph':
      return isRetainerGraph(raw.graph);
    case 'mergeGraph':
      return typeof raw.forKey === 'string' && isRetainerGraph(raw.graph);
    case 'showSummary':
      return typeof raw.title === 'string' && Array.isArray(raw.classes);
    case 'showWorkbench':
      return (
        typeof raw.title === 'string' &&
        Array.isArray(raw.suspects) &&
        (raw.summary === undefined || Array.isArray(raw.summary)) &&
        isDominatorRow(raw.dominators)
      );
    case 'dominatorChildren':
      return isDominatorRow(raw.row);
    case 'requestFailed':
      return (
        typeof raw.request === 'string' && typeof raw.code === 'string' && typeof raw.message === 'string'
      );
    case 'showComparison':
      return (
        typeof raw.other === 'string' &&
        isPlainObject(raw.comparison) &&
        Array.isArray(raw.comparison.classes) &&
        Array.isArray(raw.comparison.growthSuspects) &&
        typeof raw.comparison.currentIsLater === 'boolean'
      );
    case 'showSummaryRows':
      return Array.isArray(raw.summary);
    case 'showAttribution':
      return (
        isPlainObject(raw.attribution) &&
        typeof raw.attribution.total === 'number' &&
        (raw.attribution.by === 'package' || raw.attribution.by === 'file') &&
        Array.isArray(raw.attribution.rows)
      );
    case 'showWaste':
      return (
        isPlainObject(raw.waste) &&
        Array.isArray(raw.waste.duplicateStrings) &&
        Array.isArray(raw.waste.slicedStrings) &&
        Array.isArray(raw.waste.collections) &&
        Array.isArray(raw.waste.duplicateArrays)
      );
    default:
      return false;
  }
}

function isDominatorRow(r: unknown): r is DominatorRow {
  return (
    isPlainObject(r) &&
    typeof r.id === 'number' &&
    typeof r.name === 'string' &&
    typeof r.retainedSize === 'number' &&
    typeof r.childCount === 'number' &&
    (r.children === undefined || (Array.isArray(r.children) && r.children.every(isDominatorRow)))
  );
}
