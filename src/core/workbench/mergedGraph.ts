// Merged paths in the graph panel: the tree of mergePaths (merged.ts) as a RetainerGraph, so
// the webview draws it like any retainer graph. Each step is one box standing for the objects
// it merges (`count`), each edge says how many of the class's paths pass along it, and the
// steps where paths end are the targets at the bottom. The members are the objects of one
// Summary row: one class at one definition site ('site'), or every class of that name ('class').

import { HeapAnalysis } from '../graph/analysis';
import { className } from '../describe';
import { GraphEdge, GraphNode, RetainerGraph } from '../report';
import { ClassKeys } from './classKeys';
import { MergedPathNode, MergedPaths } from './merged';

export interface MergedPathsQuery {
  /** Snapshot id of one member (a Summary row's largest object). */
  id: number;
  by: 'site' | 'class';
  /**
   * Asked in a panel opened while paused: the paths past the paused frames and never through the
   * inspector's handles (as that panel's single-object graphs), unless the "Stack paths" toggle is on.
   */
  paused?: { withFrames: boolean };
}

export interface MergedPathsView {
  /** The class (with its site for 'site'), untrusted heap text. */
  name: string;
  targets: number;
  unreachable: number;
  graph: RetainerGraph;
}

/** The objects of `o`'s Summary row: same group (or class name), with a size. */
export function classMembers(
  a: HeapAnalysis,
  keys: ClassKeys,
  o: number,
  by: MergedPathsQuery['by'],
): number[] {
  const out: number[] = [];
  const n = a.snapshot.nodeCount;
  if (by === 'site') {
    const g = keys.groupOf(o);
    for (let i = 0; i < n; i++) if (a.selfSize[i] && keys.groupOf(i) === g) out.push(i);
  } else {
    const name = className(a, o);
    for (let i = 0; i < n; i++) if (a.selfSize[i] && className(a, i) === name) out.push(i);
  }
  return out;
}

/**
 * The tree as a graph of at most `maxNodes` steps: the steps most paths pass through first
 * (a step has no more paths than its parent, so every kept step's parent is kept).
 */
export function mergedPathGraph(m: MergedPaths, maxNodes: number): RetainerGraph {
  if (!m.root) return { nodes: [], edges: [] };
  const all: { step: MergedPathNode; parent: number; depth: number }[] = [
    { step: m.root, parent: -1, depth: 0 },
  ];
  for (let i = 0; i < all.length; i++)
    for (const c of all[i].step.children) all.push({ step: c, parent: i, depth: all[i].depth + 1 });
  const order = all.map((_, i) => i).sort((x, y) => all[y].step.count - all[x].step.count || x - y);
  const kept = new Set(order.slice(0, Math.max(1, maxNodes)));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const key = (i: number): string => `merged:${i}`;
  for (let i = 0; i < all.length; i++) {
    if (!kept.has(i)) continue;
    const { step, parent, depth } = all[i];
    nodes.push({
      key: key(i),
      ...(step.objects === 1 ? { id: step.sampleId } : {}),
      kind: step.kind,
      name: step.node,
      selfSize: step.selfSize,
      retainedSize: step.retainedSize,
      distance: depth,
      count: step.objects,
      ...(step.members > 0 ? { target: true } : {}),
    });
    if (parent >= 0)
      edges.push({
        from: key(parent),
        to: key(i),
        kind: step.edgeKind ?? 'internal',
        // The count first: the graph cuts long labels from the end.
        label: `×${step.count.toLocaleString('en-US')} ${step.edge ?? ''}`,
      });
  }
  const hiddenNodes = all.length - kept.size;
  return hiddenNodes > 0 ? { nodes, edges, truncated: { hiddenNodes } } : { nodes, edges };
}
