// Keyboard moves between nodes: Up goes to the retainer (towards the GC root), Down
// to what this node retains (towards the leak), Left/Right along the layer, Home to a
// root and End to the explained object. Tab enters and leaves the graph as a whole
// (roving tabindex) so a 5,000-node graph is not 5,000 Tab stops.

import type { LayoutResult } from '../layout/layered';
import type { GraphModel } from '../model/graphModel';

export type NodeAction = 'openSource' | 'expand' | 'ignore' | 'clear';

export function actionForKey(event: KeyboardEvent): NodeAction | undefined {
  if (event.key === 'Enter') return 'openSource';
  if (event.key === ' ' || event.key === 'e') return 'expand';
  if (event.key === 'i' || event.key === 'Delete') return 'ignore';
  if (event.key === 'Escape') return 'clear';
  return undefined;
}

export function nextNode(
  event: KeyboardEvent,
  key: string,
  model: GraphModel,
  layout: LayoutResult,
  tree: Map<string, number>,
  visible: ReadonlySet<string>,
): string | undefined {
  const x = layout.x.get(key) ?? 0;
  const nearest = (keys: string[]): string | undefined =>
    keys.sort((a, b) => Math.abs((layout.x.get(a) ?? 0) - x) - Math.abs((layout.x.get(b) ?? 0) - x))[0];
  switch (event.key) {
    case 'ArrowUp': {
      const e = tree.get(key);
      if (e !== undefined && e >= 0 && visible.has(model.edges[e].from)) return model.edges[e].from;
      return nearest(
        (model.incoming.get(key) ?? []).map((i) => model.edges[i].from).filter((k) => visible.has(k)),
      );
    }
    case 'ArrowDown':
      return nearest(
        (model.outgoing.get(key) ?? [])
          .map((i) => model.edges[i].to)
          .filter((k) => visible.has(k) && (layout.layer.get(k) ?? 0) > (layout.layer.get(key) ?? 0)),
      );
    case 'ArrowLeft':
    case 'ArrowRight': {
      const row = layout.layers[layout.layer.get(key) ?? 0] ?? [];
      const i = row.indexOf(key);
      return row[i + (event.key === 'ArrowLeft' ? -1 : 1)];
    }
    case 'Home':
      return layout.layers[0]?.[0];
    case 'End': {
      const bottom = layout.layers[layout.layers.length - 1] ?? [];
      return bottom.find((k) => model.nodes.get(k)?.target) ?? bottom[0];
    }
    default:
      return undefined;
  }
}
