// MAT's "merge shortest paths to GC roots": the shortest path of every object of a class,
// merged into one tree from the roots, each step counting the objects whose path passes
// through it. Indexes are wildcards (`[]`), so the 10,000 slots of one array are one step.

import { HeapAnalysis } from '../graph/analysis';
import { shortestRetainerPath, trimRoot } from '../paths';
import { edgeLabel, nodeLabel } from '../describe';

export interface MergedPathNode {
  /** The edge into this step as a person reads it (`.books`, `[]`, `Map entry`); null at the root. */
  edge: string | null;
  /** Untrusted heap text. */
  node: string;
  /** Objects of the class whose shortest path passes through this step. */
  count: number;
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

export function mergePaths(a: HeapAnalysis, targets: number[]): MergedPaths {
  let root: MergedPathNode | null = null;
  const childIndex = new Map<MergedPathNode, Map<string, MergedPathNode>>();
  let unreachable = 0;
  for (const t of targets) {
    const p0 = shortestRetainerPath(a, t);
    if (!p0) {
      unreachable++;
      continue;
    }
    const p = trimRoot(a, p0);
    if (!root)
      root = {
        edge: null,
        node: nodeLabel(a, p.nodes[0]),
        count: 0,
        sampleId: a.snapshot.nodeId[p.nodes[0]],
        children: [],
      };
    let at = root;
    at.count++;
    for (let i = 0; i < p.edges.length; i++) {
      const raw = edgeLabel(a, p.edges[i], p.nodes[i]);
      const edge = /^\[\d+\]$/.test(raw) ? '[]' : raw;
      const node = nodeLabel(a, p.nodes[i + 1]);
      const key = `${edge}\u0000${node}`;
      let kids = childIndex.get(at);
      if (!kids) childIndex.set(at, (kids = new Map()));
      let next = kids.get(key);
      if (!next) {
        next = { edge, node, count: 0, sampleId: a.snapshot.nodeId[p.nodes[i + 1]], children: [] };
        kids.set(key, next);
        at.children.push(next);
      }
      next.count++;
      at = next;
    }
  }
  const sort = (n: MergedPathNode): void => {
    n.children.sort((x, y) => y.count - x.count);
    n.children.forEach(sort);
  };
  if (root) sort(root);
  return { targets: targets.length, unreachable, root };
}
