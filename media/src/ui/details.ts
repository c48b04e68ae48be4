// The "Selected object" panel: what the tooltip says, plus the actions a person takes
// on a retainer (open where it was allocated, expand its retainers, ignore it).

import type { GraphNode, SourceFrame } from '../../../src/core/report';
import {
  KIND_WORD,
  formatBytes,
  formatCount,
  label,
  nodeTitle,
  previewText,
  siteText,
} from '../render/format';
import { button, el, withTooltip } from './dom';

export interface DetailsActions {
  openSource(site: SourceFrame): void;
  expand(node: GraphNode): void;
  ignore(node: GraphNode): void;
}

export function renderDetails(
  box: HTMLElement,
  node: GraphNode,
  hiddenRetainers: number,
  actions: DetailsActions,
): void {
  const name = label(nodeTitle(node));
  const title = withTooltip(el('p', 'details-title', name.text), name.full);
  const rows = el('dl', 'details-rows');
  const add = (k: string, v: string): void => {
    rows.append(el('dt', undefined, k), el('dd', undefined, v));
  };
  add('Kind', KIND_WORD[node.kind] ?? node.kind);
  const preview = previewText(node, 120);
  if (preview) add('Value', preview);
  add('Self size', formatBytes(node.selfSize));
  add('Retained size', formatBytes(node.retainedSize));
  add('Distance from root', formatCount(node.distance));
  if (node.id !== undefined) add('Id', `@${node.id}`);
  if (node.count !== undefined) add('Objects', formatCount(node.count));

  const site = el('p', 'details-site');
  if (node.allocationSite) {
    const frame = node.allocationSite;
    site.append(
      el('span', 'muted', 'Allocated at '),
      button(
        siteText(frame),
        'link site-link',
        () => actions.openSource(frame),
        `Open ${label(frame.path, 4096).text}`,
      ),
    );
  } else site.append(el('span', 'muted', 'Allocation site unknown (record with --track-allocations).'));

  const bar = el('div', 'details-actions');
  const more = (node.moreRetainers ?? 0) + hiddenRetainers;
  if (more > 0)
    bar.append(button(`Expand ${formatCount(more)} more retainers`, 'primary', () => actions.expand(node)));
  if (node.kind !== 'root' && !node.target) {
    bar.append(
      button(
        'Ignore this retainer',
        'secondary ignore',
        () => actions.ignore(node),
        'Show the next path that does not go through this object',
      ),
    );
  }
  box.replaceChildren(title, rows, site, bar);
}
