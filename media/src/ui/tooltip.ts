// The hover card: self and retained size, distance, id and allocation site. It never
// takes the pointer (pointer-events: none) so it cannot steal hover from the graph;
// the clickable allocation site lives in the details panel instead.

import type { GraphNode } from '../../../src/core/report';
import {
  KIND_WORD,
  escapeVisible,
  formatBytes,
  formatCount,
  label,
  nodeTitle,
  previewText,
  siteText,
} from '../render/format';
import { el, withTooltip } from './dom';

export class Tooltip {
  constructor(
    private readonly box: HTMLElement,
    private readonly pane: HTMLElement,
  ) {}

  show(node: GraphNode, event: MouseEvent): void {
    const rows: Array<[string, string]> = [
      ['Kind', KIND_WORD[node.kind] ?? node.kind],
      ['Self size', formatBytes(node.selfSize)],
      ['Retained size', formatBytes(node.retainedSize)],
      ['Distance', formatCount(node.distance)],
    ];
    if (node.id !== undefined) rows.push(['Id', `@${node.id}`]);
    if (node.count !== undefined) rows.push(['Objects', formatCount(node.count)]);
    rows.push(['Allocated at', node.allocationSite ? siteText(node.allocationSite) : 'unknown']);
    const preview = previewText(node, 80);
    // The hover card is the tooltip of the graph: a long name is shown longer here, still bounded.
    this.box.replaceChildren(
      withTooltip(el('div', 'tooltip-title', label(nodeTitle(node), 400).text), undefined),
    );
    if (preview) this.box.append(el('div', 'tooltip-preview', preview));
    const table = el('dl', 'tooltip-rows');
    for (const [k, v] of rows) table.append(el('dt', undefined, k), el('dd', undefined, escapeVisible(v)));
    this.box.append(table);
    this.box.hidden = false;
    // Keep the card inside the pane: flip to the left/top near the edges.
    const pane = this.pane.getBoundingClientRect();
    const { width, height } = this.box.getBoundingClientRect();
    let x = event.clientX - pane.left + 14;
    let y = event.clientY - pane.top + 14;
    if (x + width > pane.width) x = Math.max(0, x - width - 28);
    if (y + height > pane.height) y = Math.max(0, y - height - 28);
    this.box.style.left = `${x}px`;
    this.box.style.top = `${y}px`;
  }

  hide(): void {
    this.box.hidden = true;
  }
}
