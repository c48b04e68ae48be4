// Hand-made snapshots for algorithm tests: describe nodes and edges, get the V8 JSON text.

export interface TestNode {
  type: string;
  name: string;
  size: number;
}
export interface TestEdge {
  from: number;
  to: number;
  type: string;
  name: string | number;
}

export const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export function snapshotJson(nodes: TestNode[], edges: TestEdge[]): string {
  const strings: string[] = [];
  const str = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) {
      i = strings.length;
      strings.push(s);
    }
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
  return JSON.stringify({
    snapshot: { meta, node_count: nodes.length, edge_count: edgeOut.length / 3 },
    nodes: out,
    edges: edgeOut,
    strings,
  });
}

/**
 * A hand-made heap, built by name: `node('Book')` adds an object, `edge(a, b, 'property',
 * 'books')` a reference; `analysis()` parses and analyses it like a real snapshot. Node 0 is
 * the nameless root; node ids are 2·ordinal + 1, so a later node is a younger object.
 */
export class GraphBuilder {
  readonly nodes: TestNode[] = [{ type: 'synthetic', name: '', size: 0 }];
  readonly edges: TestEdge[] = [];

  node(name: string, type = 'object', size = 16): number {
    this.nodes.push({ type, name, size });
    return this.nodes.length - 1;
  }

  edge(from: number, to: number, type: string, name: string | number): this {
    this.edges.push({ from, to, type, name });
    return this;
  }

  /** The root's shortcut to a global object, as V8 writes it. */
  global(): number {
    const g = this.node('global / ');
    this.edge(0, g, 'shortcut', '1');
    return g;
  }

  id(ordinal: number): number {
    return ordinal * 2 + 1;
  }

  json(): string {
    return snapshotJson(this.nodes, this.edges);
  }
}
