// Synthetic retainer graphs of a given size for scale tests and the bench. Shaped like
// real ones: a GC root, a few system subroots, a deep mostly-tree body with shared
// retainers (merges) and a few cycles, and one leak group at the bottom held by
// several deep nodes. Seeded, so runs are comparable.

import type { GraphEdge, GraphNode, GraphNodeKind, RetainerGraph } from '../../src/core/report';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: GraphNodeKind[] = ['object', 'object', 'object', 'closure', 'array', 'system'];
const NAMES = [
  'Library',
  'Book',
  'Map',
  'Set',
  'EventEmitter',
  'Request',
  'Socket',
  'Buffer',
  'Promise',
  'Timeout',
];

export function generateRetainerGraph(size: number, seed = 1): RetainerGraph {
  const rand = mulberry32(seed);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const depth: number[] = [];
  const add = (
    node: Omit<GraphNode, 'key' | 'selfSize' | 'retainedSize' | 'distance'>,
    d: number,
  ): string => {
    const key = String(nodes.length + 1);
    depth.push(d);
    nodes.push({
      key,
      id: nodes.length * 2 + 1,
      selfSize: 16 + Math.floor(rand() * 200),
      retainedSize: Math.floor((1e7 / (1 + d)) * rand()),
      distance: d,
      ...node,
    });
    return key;
  };
  add({ kind: 'root', name: '(GC roots)' }, 0);
  for (let i = 0; i < 3; i++) {
    const k = add({ kind: 'root', name: ['(Global handles)', '(Stack roots)', '(Strong roots)'][i] }, 1);
    edges.push({ from: '1', to: k, kind: 'internal', label: `(subroot ${i})` });
  }
  const window = Math.max(8, Math.floor(size / 25));
  const body = size - 1;
  while (nodes.length < body) {
    const i = nodes.length;
    const parent = Math.max(0, i - 1 - Math.floor(rand() * Math.min(i, window)));
    const kind = KINDS[Math.floor(rand() * KINDS.length)];
    const key = add(
      {
        kind,
        name: kind === 'closure' ? `on${NAMES[i % NAMES.length]}` : NAMES[i % NAMES.length],
        ...(rand() < 0.1 ? { moreRetainers: 1 + Math.floor(rand() * 20) } : {}),
      },
      depth[parent] + 1,
    );
    edges.push({
      from: nodes[parent].key,
      to: key,
      kind: 'property',
      label: `.${NAMES[(i * 7) % NAMES.length].toLowerCase()}`,
    });
    // A second retainer merges paths; rarely a reference back up makes a cycle.
    if (rand() < 0.12 && i > 10) {
      const other = Math.floor(rand() * (i - 1)) + 1;
      if (other !== parent)
        edges.push({
          from: nodes[other].key,
          to: key,
          kind: 'element',
          label: `[${Math.floor(rand() * 100)}]`,
        });
    }
    if (rand() < 0.02 && i > 10)
      edges.push({
        from: key,
        to: nodes[Math.max(1, parent - 1)].key,
        kind: 'context',
        label: 'context: self',
      });
  }
  const leak = add({ kind: 'group', name: 'Book', count: 2000, target: true }, depth[depth.length - 1] + 1);
  for (let j = 0; j < 5; j++) {
    edges.push({
      from: nodes[nodes.length - 2 - Math.floor(rand() * window)].key,
      to: leak,
      kind: 'element',
      label: `[${j}]`,
    });
  }
  return { nodes, edges };
}
