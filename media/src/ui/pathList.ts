// The path from a GC root to the selected object as a plain ordered list: the
// screen-reader (and copy-paste) version of the highlighted chain in the graph.

import type { GraphModel } from '../model/graphModel';
import { KIND_WORD, label, nodeTitle, previewText } from '../render/format';
import { el, withTooltip } from './dom';

export function renderPathList(
  list: HTMLOListElement,
  model: GraphModel,
  edgeIdx: number[],
  endKey: string | undefined,
): void {
  list.replaceChildren();
  if (!endKey) return;
  const steps: Array<{ via: string | null; key: string }> = [];
  if (edgeIdx.length === 0) steps.push({ via: null, key: endKey });
  else {
    steps.push({ via: null, key: model.edges[edgeIdx[0]].from });
    for (const e of edgeIdx) steps.push({ via: model.edges[e].label, key: model.edges[e].to });
  }
  for (const step of steps) {
    const node = model.nodes.get(step.key);
    if (!node) continue;
    const li = el('li');
    if (step.via !== null) {
      const via = label(step.via, 80);
      li.append(withTooltip(el('span', 'path-edge', via.text), via.full), document.createTextNode(' → '));
    }
    const name = label(nodeTitle(node));
    li.append(withTooltip(el('span', 'path-node', name.text), name.full));
    const preview = previewText(node, 40);
    li.append(el('span', 'muted', ` (${KIND_WORD[node.kind] ?? node.kind}${preview ? ` ${preview}` : ''})`));
    list.append(li);
  }
  if (edgeIdx.length === 0 && !model.roots().includes(endKey)) {
    list.append(el('li', 'muted', 'No path to a GC root is loaded yet; expand its retainers.'));
  }
}
