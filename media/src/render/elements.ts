// The SVG elements of one node and of one edge, built with plain DOM calls: a d3 join sets
// each attribute through a selection per attribute, which was most of the DOM build of a
// 5,000-node graph. Every heap string goes in through textContent; never innerHTML.

import { curveBumpY, line } from 'd3';
import type { GraphEdge, GraphNode } from '../../../src/core/report';
import { DEFAULT_LAYOUT } from '../layout/layered';
import {
  KIND_GLYPH,
  escapeVisible,
  formatBytes,
  formatCount,
  label,
  nodeSpeech,
  nodeTitle,
  previewText,
  truncate,
} from './format';
import { shapePath, stackPath } from './shapes';

const W = DEFAULT_LAYOUT.nodeWidth;
const H = DEFAULT_LAYOUT.nodeHeight;
const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const name in attrs) el.setAttribute(name, String(attrs[name]));
  return el;
}

function text(className: string, x: number, y: number, content: string): SVGTextElement {
  const el = svgEl('text', { class: className, x, y });
  el.textContent = content;
  return el;
}

/**
 * One node's group, centred at (x, y). `bar` is the width of its retained-size bar; `more`
 * the retainers it has that are not drawn ("+3 more").
 */
export function nodeElement(n: GraphNode, x: number, y: number, bar: number, more: number): SVGGElement {
  const g = svgEl('g', {
    class: `node kind-${n.kind}${n.target ? ' target' : ''}`,
    transform: `translate(${x},${y})`,
    tabindex: -1,
    role: 'button',
    'aria-roledescription': 'heap object',
    'aria-label': label(nodeSpeech(n), 300).text,
    'data-key': n.key,
  });
  if (n.kind === 'group') g.appendChild(svgEl('path', { class: 'stack', d: stackPath(W, H) }));
  if (n.target)
    g.appendChild(
      svgEl('rect', {
        class: 'target-ring',
        x: -W / 2 - 5,
        y: -H / 2 - 5,
        width: W + 10,
        height: H + 10,
        rx: 7,
      }),
    );
  g.appendChild(svgEl('path', { class: 'shape', d: shapePath(n.kind, W, H) }));
  g.appendChild(svgEl('rect', { class: 'bar', x: -W / 2 + 8, y: H / 2 - 7, height: 3, width: bar }));
  g.appendChild(text('glyph', -W / 2 + 20, -3, KIND_GLYPH[n.kind] ?? '?'));
  g.appendChild(text('name', -W / 2 + 36, -3, truncate(nodeTitle(n), 19)));
  g.appendChild(text('preview', -W / 2 + 36, 13, previewText(n, 16)));
  g.appendChild(text('size', W / 2 - 10, 13, formatBytes(n.retainedSize)));
  if (more > 0) g.appendChild(text('more', W / 2, -H / 2 - 6, `+${formatCount(more)} more`));
  return g;
}

/**
 * Where an edge goes: its points, where its label goes and the box it covers (what a lazy
 * draw needs up front); the path itself is written only when the edge is built.
 */
export interface EdgeShape {
  pts: Array<[number, number]>;
  back: boolean;
  labelAt: [number, number];
  box: { x0: number; y0: number; x1: number; y1: number };
}

const curve = line().curve(curveBumpY);

/** A same-layer back edge: an arc under both boxes, so it never runs through one. */
function isArc(pts: Array<[number, number]>, back: boolean): boolean {
  return back && Math.abs(pts[0][1] - pts[pts.length - 1][1]) < 1;
}

/** How far a back edge's curve bulges out of its points' box. */
function bulgeOf(pts: Array<[number, number]>): number {
  return W / 2 + 40 + Math.abs(pts[0][1] - pts[pts.length - 1][1]) / 6;
}

export function edgeShape(pts: Array<[number, number]>, back: boolean): EdgeShape | null {
  if (pts.length < 2) return null;
  const [x1, y1] = pts[0];
  const [x2, y2] = pts[pts.length - 1];
  let labelAt: [number, number];
  let reach = 0;
  if (isArc(pts, back)) {
    const low = y1 + H / 2 + 34;
    labelAt = [(x1 + x2) / 2, (y1 + H / 2) / 4 + (low * 3) / 4];
    reach = H / 2 + 34;
  } else if (back) {
    const bulge = bulgeOf(pts);
    // The curve's midpoint (t = 1/2 of the cubic), where the label cannot miss it.
    labelAt = [(x1 + x2 + W) / 8 + ((x1 + x2 + 2 * bulge) * 3) / 8, (y1 + y2) / 2];
    reach = bulge;
  } else {
    labelAt = [(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2];
  }
  const box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (const [x, y] of pts) {
    box.x0 = Math.min(box.x0, x - reach);
    box.x1 = Math.max(box.x1, x + reach);
    box.y0 = Math.min(box.y0, y - reach);
    box.y1 = Math.max(box.y1, y + reach);
  }
  return { pts, back, labelAt, box };
}

function edgePath({ pts, back }: EdgeShape): string {
  const [x1, y1] = pts[0];
  const [x2, y2] = pts[pts.length - 1];
  if (isArc(pts, back)) {
    const low = y1 + H / 2 + 34;
    return `M${x1},${y1 + H / 2}C${x1},${low} ${x2},${low} ${x2},${y1 + H / 2}`;
  }
  if (back) {
    // A reference back up (a cycle): loop out to the right of both boxes.
    const bulge = bulgeOf(pts);
    return `M${x1 + W / 2},${y1}C${x1 + bulge},${y1} ${x2 + bulge},${y2} ${x2 + W / 2},${y2}`;
  }
  return curve(pts) ?? '';
}

export function edgeElement(edge: GraphEdge, shape: EdgeShape): SVGPathElement {
  return svgEl('path', { class: `edge edge-${edge.kind}${shape.back ? ' back' : ''}`, d: edgePath(shape) });
}

/** An edge's label text as drawn: escaped and cut. */
export function edgeLabelText(edge: GraphEdge): string {
  return truncate(escapeVisible(String(edge.label)), 28);
}

export function edgeLabelElement(x: number, y: number, content: string): SVGTextElement {
  return text('edge-label', x, y, content);
}
