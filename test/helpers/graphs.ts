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

/** One frame of a hand-made allocation stack. */
export interface TestFrame {
  functionName: string;
  scriptName: string;
}

/**
 * V8's allocation-tracking sections for hand-made stacks (innermost frame first, per node):
 * `trace_function_infos`, the `trace_tree` of every stack (from a "(root)" entry out to each
 * innermost frame) and each node's `trace_node_id`.
 */
function allocationSections(
  nodeCount: number,
  stacks: Map<number, TestFrame[]>,
  str: (s: string) => number,
): { traceIds: number[]; functionInfos: number[]; functionCount: number; tree: unknown[] } {
  const functions = new Map<string, number>();
  const functionInfos: number[] = [];
  const fn = (f: TestFrame): number => {
    const key = `${f.functionName}\u0000${f.scriptName}`;
    let i = functions.get(key);
    if (i === undefined) {
      i = functions.size;
      functions.set(key, i);
      functionInfos.push(i + 1, str(f.functionName), str(f.scriptName), i + 1, 1, 1);
    }
    return i;
  };
  type TraceNode = { id: number; fn: number; children: Map<string, TraceNode> };
  let nextId = 1;
  const root: TraceNode = {
    id: nextId++,
    fn: fn({ functionName: '(root)', scriptName: '' }),
    children: new Map(),
  };
  const traceIds = new Array<number>(nodeCount).fill(0);
  for (const [node, frames] of stacks) {
    let at = root;
    for (const f of [...frames].reverse()) {
      const key = `${f.functionName}\u0000${f.scriptName}`;
      let child = at.children.get(key);
      if (!child) at.children.set(key, (child = { id: nextId++, fn: fn(f), children: new Map() }));
      at = child;
    }
    traceIds[node] = at.id;
  }
  const flat = (t: TraceNode): unknown[] => [t.id, t.fn, 1, 16, [...t.children.values()].flatMap(flat)];
  return { traceIds, functionInfos, functionCount: functions.size, tree: flat(root) };
}

export function snapshotJson(
  nodes: TestNode[],
  edges: TestEdge[],
  stacks: Map<number, TestFrame[]> = new Map(),
): string {
  const strings: string[] = [];
  const str = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) {
      i = strings.length;
      strings.push(s);
    }
    return i;
  };
  const traces = stacks.size > 0 ? allocationSections(nodes.length, stacks, str) : null;
  // to_node is a node's offset in the flat array: ordinal times the fields per node.
  const fields = traces ? 6 : 5;
  const out: number[] = [];
  nodes.forEach((n, i) => {
    const count = edges.filter((e) => e.from === i).length;
    out.push(NODE_TYPES.indexOf(n.type), str(n.name), i * 2 + 1, n.size, count);
    if (traces) out.push(traces.traceIds[i]);
  });
  const edgeOut: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const e of edges.filter((x) => x.from === i)) {
      const named = e.type !== 'element' && e.type !== 'hidden';
      edgeOut.push(EDGE_TYPES.indexOf(e.type), named ? str(String(e.name)) : Number(e.name), e.to * fields);
    }
  }
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', ...(traces ? ['trace_node_id'] : [])],
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', ...(traces ? ['number'] : [])],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    ...(traces
      ? {
          trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
          trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
        }
      : {}),
  };
  return JSON.stringify({
    snapshot: {
      meta,
      node_count: nodes.length,
      edge_count: edgeOut.length / 3,
      ...(traces ? { trace_function_count: traces.functionCount } : {}),
    },
    nodes: out,
    edges: edgeOut,
    ...(traces ? { trace_function_infos: traces.functionInfos, trace_tree: traces.tree } : {}),
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
  /** Allocation stacks (innermost frame first) of the nodes that have one. */
  readonly stacks = new Map<number, TestFrame[]>();

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

  /** Records where `node` was allocated, innermost frame first, as V8's allocation tracking does. */
  allocatedAt(node: number, frames: TestFrame[]): this {
    this.stacks.set(node, frames);
    return this;
  }

  id(ordinal: number): number {
    return ordinal * 2 + 1;
  }

  json(): string {
    return snapshotJson(this.nodes, this.edges, this.stacks);
  }
}
