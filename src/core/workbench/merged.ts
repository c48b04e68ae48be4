// MAT's "merge shortest paths to GC roots": the shortest path of every object of a class,
// merged into one tree from the roots, each step counting the objects whose path passes
// through it. Indexes are wildcards (`[]`), so the 10,000 slots of one array are one step.
// A node's shortest path is its parent's plus one step (paths.ts steps toward the root the
// same way from every node), so each heap node is placed in the tree once and remembered:
// the labels are built once per node, not once per path through it.

import { HeapAnalysis } from '../graph/analysis';
import { shortestRetainerPath } from '../paths';
import { edgeKind, edgeLabel, nodeKind, nodeLabel } from '../describe';
import { GraphEdgeKind, GraphNodeKind } from '../report';

export interface MergedPathNode {
  /** The edge into this step as a person reads it (`.books`, `[]`, `Map entry`); null at the root. */
  edge: string | null;
  edgeKind: GraphEdgeKind | null;
  /** Untrusted heap text. */
  node: string;
  kind: GraphNodeKind;
  /** Objects of the class whose shortest path passes through this step. */
  count: number;
  /** Of those, how many end here (are this step's objects). */
  members: number;
  /** Distinct heap objects this step stands for (one Map for 200 paths through it). */
  objects: number;
  /** Their self and retained sizes, summed. */
  selfSize: number;
  retainedSize: number;
  /** Snapshot id of one object at this step (the first path that passed). */
  sampleId: number;
  children: MergedPathNode[];
}

export interface MergedPaths {
  targets: number;
  /** Objects with no path from a GC root (garbage, or only weakly held). */
  unreachable: number;
  root: MergedPathNode | null;
}

/** What one target's path follows: distances and edges never taken (a pause's tier, a hunt's harness skipped). */
export type PathRoute = (target: number) => { distance?: Int32Array; skipped?: Uint8Array };

/** `route`: what each target's path follows; the snapshot's distances by default. */
export function mergePaths(a: HeapAnalysis, targets: number[], route: PathRoute = () => ({})): MergedPaths {
  const s = a.snapshot;
  const step = (edge: string | null, e: number, o: number): MergedPathNode => ({
    edge,
    edgeKind: e < 0 ? null : edgeKind(a, e),
    node: nodeLabel(a, o),
    kind: nodeKind(a, o),
    count: 0,
    members: 0,
    objects: 0,
    selfSize: 0,
    retainedSize: 0,
    sampleId: s.nodeId[o],
    children: [],
  });
  const root = step(null, -1, s.rootOrdinal);
  const placed = new Map<number, MergedPathNode>();
  const childIndex = new Map<MergedPathNode, Map<string, MergedPathNode>>();
  /** Each heap node is counted in its step once, however many paths pass through it. */
  const place = (o: number, tree: MergedPathNode): void => {
    placed.set(o, tree);
    tree.objects++;
    tree.selfSize += a.selfSize[o];
    tree.retainedSize += a.retainedSize[o];
  };
  place(s.rootOrdinal, root);
  let unreachable = 0;
  let reached = 0;
  for (const t of targets) {
    const r = route(t);
    const p = shortestRetainerPath(a, t, r.distance ?? a.distance, r.skipped);
    if (!p) {
      unreachable++;
      continue;
    }
    reached++;
    let at = root;
    at.count++;
    for (let i = 0; i < p.edges.length; i++) {
      const o = p.nodes[i + 1];
      let next = placed.get(o);
      if (!next) {
        // V8 hangs its "(GC roots)" under a nameless root that Heap Lens already calls so:
        // the name appears once (as paths.trimRoot does for a single path).
        if (i === 0 && s.nodeType[o] === a.kinds.synthetic && s.nodeNameString(o) === '(GC roots)') {
          placed.set(o, root);
          continue;
        }
        const raw = edgeLabel(a, p.edges[i], p.nodes[i]);
        const edge = /^\[\d+\]$/.test(raw) ? '[]' : raw;
        const node = nodeLabel(a, o);
        const key = `${edge}\u0000${node}`;
        let kids = childIndex.get(at);
        if (!kids) childIndex.set(at, (kids = new Map()));
        next = kids.get(key);
        if (!next) {
          next = step(edge, p.edges[i], o);
          kids.set(key, next);
          at.children.push(next);
        }
        place(o, next);
      }
      if (next === root) continue;
      next.count++;
      at = next;
    }
    at.members++;
  }
  const sort = (n: MergedPathNode): void => {
    n.children.sort((x, y) => y.count - x.count);
    n.children.forEach(sort);
  };
  sort(root);
  return { targets: targets.length, unreachable, root: reached > 0 ? root : null };
}
