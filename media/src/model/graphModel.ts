// The retainer graph the webview holds: every node and edge the host has sent so far,
// indexed for the questions the view asks (who retains X, what does X retain).
// Lazy expansion answers are merged here by node key, so a graph grows in place.

import type { GraphEdge, GraphNode, RetainerGraph } from '../../../src/core/report';

export class GraphModel {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  /** Edge indices by retained node (incoming) and by retainer (outgoing). */
  readonly incoming = new Map<string, number[]>();
  readonly outgoing = new Map<string, number[]>();
  /** Set when the host cut the graph; the count of nodes it did not send. */
  hostHidden = 0;
  private readonly edgeKeys = new Set<string>();

  constructor(graph?: RetainerGraph) {
    if (graph) this.merge(graph);
  }

  /** Add nodes and edges; a node seen before is updated (e.g. its moreRetainers drops to 0). */
  merge(graph: RetainerGraph): { addedNodes: number; addedEdges: number } {
    let addedNodes = 0;
    let addedEdges = 0;
    for (const node of graph.nodes) {
      const old = this.nodes.get(node.key);
      if (old) Object.assign(old, node);
      else {
        this.nodes.set(node.key, { ...node });
        addedNodes++;
      }
    }
    for (const edge of graph.edges) {
      // Edges to nodes we never got would dangle in the layout; drop them.
      if (!this.nodes.has(edge.from) || !this.nodes.has(edge.to) || edge.from === edge.to) continue;
      const id = `${edge.from}\u0000${edge.to}\u0000${edge.label}`;
      if (this.edgeKeys.has(id)) continue;
      this.edgeKeys.add(id);
      const index = this.edges.push({ ...edge }) - 1;
      push(this.outgoing, edge.from, index);
      push(this.incoming, edge.to, index);
      addedEdges++;
    }
    this.hostHidden = graph.truncated?.hiddenNodes ?? this.hostHidden;
    return { addedNodes, addedEdges };
  }

  /**
   * Where paths start: GC roots that no other drawn node points at (so "(Global handles)"
   * under "(GC roots)" is a step, not a second top). A graph cut without its roots falls
   * back to the nodes nothing retains.
   */
  roots(visible?: ReadonlySet<string>): string[] {
    const shown = (k: string): boolean => !visible || visible.has(k);
    const unretained = (k: string): boolean =>
      !(this.incoming.get(k) ?? []).some((e) => shown(this.edges[e].from));
    const all = [...this.nodes.keys()].filter(shown);
    const roots = all.filter((k) => this.nodes.get(k)!.kind === 'root');
    const top = roots.filter(unretained);
    if (top.length > 0) return top;
    if (roots.length > 0) return roots;
    return all.filter(unretained);
  }

  targets(): GraphNode[] {
    return [...this.nodes.values()].filter((n) => n.target);
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
