// Every leak in a report carries one retainer path. Drawing it as a graph right away
// means a report is viewable on its own (CLI --json output, a saved file) and the
// list never waits on the host; the host's full graph replaces it when it arrives.

import type { GraphEdge, GraphNode, Leak, RetainerGraph, RetainerStep } from '../../../src/core/report';

/** V8 edge names to how a person reads them: "books" -> ".books", "12" -> "[12]". */
export function readableEdge(name: string): string {
  if (/^\d+$/.test(name)) return `[${name}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return `.${name}`;
  return name;
}

/** `raw`: every step as V8 has it; by default the folded path (Node's plumbing as one step). */
export function leakPathGraph(leak: Leak, leakIndex: number, raw = false): RetainerGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const path = raw && leak.rawRetainerPath ? leak.rawRetainerPath : leak.retainerPath;
  const steps: RetainerStep[] = path.length > 0 ? path : [{ edge: null, node: '(GC roots)' }];
  steps.forEach((step, i) => {
    const last = i === steps.length - 1 && steps.length > 1;
    const key = `path:${leakIndex}:${i}`;
    nodes.push({
      key,
      kind: i === 0 ? 'root' : last ? 'group' : 'object',
      name: String(step.node),
      selfSize: 0,
      retainedSize: last ? leak.retainedSize : 0,
      distance: i,
      ...(last ? { target: true, count: leak.count, allocationSite: leak.allocationSites[0] } : {}),
    });
    // A folded step reads as what it stands for ("module books.js", "closure variable `x` of `f`").
    const label = typeof step.label === 'string' ? step.label : readableEdge(String(step.edge ?? ''));
    if (i > 0) edges.push({ from: `path:${leakIndex}:${i - 1}`, to: key, kind: 'property', label });
  });
  return { nodes, edges };
}
