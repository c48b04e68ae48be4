// Cutting a big retainer graph down to its most important paths. A person reads a
// few hundred boxes, and the browser stays responsive with a few thousand; beyond the
// budget we keep, for each important node, the whole shortest chain up to a GC root,
// so nothing drawn ever floats without a reason to be alive.

import type { GraphModel } from './graphModel';
import { shortestRetainerTree } from './paths';

export interface VisibleGraph {
  keys: Set<string>;
  /** Per visible node: how many of its retainers are in the model but not drawn. */
  hiddenRetainers: Map<string, number>;
  hiddenNodes: number;
}

/**
 * Choose at most ~`budget` nodes. `revealed` are keys the user asked to see (they go
 * first, with their chains). Then targets, then by retained size: a node near the
 * roots that retains a lot matters more than a leaf that retains little.
 */
export function chooseVisible(
  model: GraphModel,
  budget: number,
  revealed: ReadonlySet<string> = new Set(),
): VisibleGraph {
  const all = model.nodes;
  if (all.size <= budget) return { keys: new Set(all.keys()), hiddenRetainers: new Map(), hiddenNodes: 0 };

  const tree = shortestRetainerTree(model);
  const keys = new Set<string>();
  const addChain = (start: string): void => {
    let at: string | undefined = start;
    while (at !== undefined && !keys.has(at)) {
      keys.add(at);
      const e = tree.get(at);
      at = e === undefined || e < 0 ? undefined : model.edges[e].from;
    }
  };

  for (const key of revealed) if (all.has(key)) addChain(key);
  const ranked = [...all.values()].sort(
    (a, b) =>
      Number(!!b.target) - Number(!!a.target) || b.retainedSize - a.retainedSize || a.distance - b.distance,
  );
  for (const node of ranked) {
    if (keys.size >= budget) break;
    addChain(node.key);
  }

  const hiddenRetainers = new Map<string, number>();
  for (const key of keys) {
    let hidden = 0;
    for (const e of model.incoming.get(key) ?? []) if (!keys.has(model.edges[e].from)) hidden++;
    if (hidden > 0) hiddenRetainers.set(key, hidden);
  }
  return { keys, hiddenRetainers, hiddenNodes: all.size - keys.size };
}
