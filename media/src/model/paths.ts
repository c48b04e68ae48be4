// Shortest retainer paths. "Why is X alive?" is answered by one chain of edges from a
// GC root down to X; the view highlights it on hover and lists it for screen readers.

import type { GraphModel } from './graphModel';

/**
 * For every node reachable from a GC root: the edge index that reaches it on a
 * shortest path from the roots (BFS). Roots map to -1.
 */
export function shortestRetainerTree(model: GraphModel, visible?: ReadonlySet<string>): Map<string, number> {
  const via = new Map<string, number>();
  const queue: string[] = [];
  for (const key of model.roots(visible)) {
    via.set(key, -1);
    queue.push(key);
  }
  for (let head = 0; head < queue.length; head++) {
    for (const e of model.outgoing.get(queue[head]) ?? []) {
      const to = model.edges[e].to;
      if (via.has(to) || (visible && !visible.has(to))) continue;
      via.set(to, e);
      queue.push(to);
    }
  }
  return via;
}

/** Edge indices from a root down to `key`, or [] when no root reaches it. */
export function pathFromRoot(model: GraphModel, tree: Map<string, number>, key: string): number[] {
  const edges: number[] = [];
  let at = key;
  for (let guard = 0; guard <= model.nodes.size; guard++) {
    const e = tree.get(at);
    if (e === undefined || e < 0) break;
    edges.push(e);
    at = model.edges[e].from;
  }
  return edges.reverse();
}
