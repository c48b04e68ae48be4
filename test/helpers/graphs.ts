// Hand-made snapshots for algorithm tests: describe nodes and edges, get the V8 JSON text.

export interface TestNode { type: string; name: string; size: number }
export interface TestEdge { from: number; to: number; type: string; name: string | number }

export const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export function snapshotJson(nodes: TestNode[], edges: TestEdge[]): string {
  const strings: string[] = [];
  const str = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) { i = strings.length; strings.push(s); }
    return i;
  };
  const out: number[] = [];
  nodes.forEach((n, i) => {
    const count = edges.filter((e) => e.from === i).length;
    out.push(NODE_TYPES.indexOf(n.type), str(n.name), i * 2 + 1, n.size, count);
  });
  const edgeOut: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const e of edges.filter((x) => x.from === i)) {
      const named = e.type !== 'element' && e.type !== 'hidden';
      edgeOut.push(EDGE_TYPES.indexOf(e.type), named ? str(String(e.name)) : Number(e.name), e.to * 5);
    }
  }
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
  };
  return JSON.stringify({ snapshot: { meta, node_count: nodes.length, edge_count: edgeOut.length / 3 }, nodes: out, edges: edgeOut, strings });
}
