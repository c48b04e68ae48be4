// Draws a laid-out retainer graph into the <svg> with d3, and owns zoom/pan, the
// hover/focus highlight and the roving tabindex. It knows nothing about the host:
// what a click or a key means is decided by the caller through GraphViewEvents.
//
// Every heap string goes in through d3's .text() (textContent); never .html().

import { curveBumpY, line, scaleSqrt, select, zoom, zoomIdentity, zoomTransform } from 'd3';
import type { Selection, ZoomBehavior, ZoomTransform } from 'd3';
import type { GraphEdge, GraphNode } from '../../../src/core/report';
import type { GraphModel } from '../model/graphModel';
import type { VisibleGraph } from '../model/prune';
import { DEFAULT_LAYOUT, layoutLayered, type LayoutResult } from '../layout/layered';
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
import { dodgeLabels } from './labels';

export interface GraphViewEvents {
  hover(node: GraphNode | null, event?: MouseEvent): void;
  activate(node: GraphNode): void;
  focus(node: GraphNode): void;
  keydown(node: GraphNode, event: KeyboardEvent): void;
}

const W = DEFAULT_LAYOUT.nodeWidth;
const H = DEFAULT_LAYOUT.nodeHeight;
const SVG_NS = 'http://www.w3.org/2000/svg';
type G = Selection<SVGGElement, unknown, null, undefined>;

export class GraphView {
  layout: LayoutResult | undefined;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly viewport: G;
  private readonly edgeLayer: G;
  private readonly labelLayer: G;
  private readonly nodeLayer: G;
  private readonly zoomBehavior: ZoomBehavior<SVGSVGElement, unknown>;
  private nodeEls = new Map<string, SVGGElement>();
  private edgeEls = new Map<number, SVGPathElement>();
  private labelEls = new Map<number, SVGTextElement>();
  private lit: Element[] = [];
  private matched: Element[] = [];
  private focusedKey: string | undefined;
  private lod = '';

  constructor(
    svgEl: SVGSVGElement,
    private readonly events: GraphViewEvents,
  ) {
    this.svg = select(svgEl);
    const defs = this.svg.append('defs');
    for (const id of ['arrow', 'arrow-hl']) {
      defs
        .append('marker')
        .attr('id', id)
        .attr('class', id)
        .attr('viewBox', '0 0 8 8')
        .attr('refX', 7)
        .attr('refY', 4)
        .attr('markerWidth', 7)
        .attr('markerHeight', 7)
        .attr('orient', 'auto-start-reverse')
        .append('path')
        .attr('d', 'M0,0L8,4L0,8Z');
    }
    this.viewport = this.svg.append('g').attr('class', 'viewport');
    this.edgeLayer = this.viewport.append('g').attr('class', 'edges').attr('aria-hidden', 'true');
    this.labelLayer = this.viewport.append('g').attr('class', 'edge-labels').attr('aria-hidden', 'true');
    this.nodeLayer = this.viewport.append('g').attr('class', 'nodes');
    this.zoomBehavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.02, 4])
      .on('zoom', (event: { transform: ZoomTransform }) => {
        this.viewport.attr('transform', event.transform.toString());
        this.updateLevelOfDetail(event.transform.k);
      });
    this.svg.call(this.zoomBehavior).on('dblclick.zoom', null);
  }

  /** Lay out and draw. `keepView` keeps the zoom when a graph grows by merging. */
  draw(model: GraphModel, visible: VisibleGraph, keepView: boolean): void {
    performance.mark('heaplens:layout-start');
    const keys = [...visible.keys];
    const edgeIdx: number[] = [];
    model.edges.forEach((e, i) => {
      if (visible.keys.has(e.from) && visible.keys.has(e.to)) edgeIdx.push(i);
    });
    const edges = edgeIdx.map((i) => model.edges[i]);
    const roots = new Set(model.roots(visible.keys));
    const targets = new Set(keys.filter((k) => model.nodes.get(k)!.target));
    const layout = layoutLayered({ keys, edges, roots, targets });
    this.layout = layout;
    performance.measure('heaplens:layout', 'heaplens:layout-start');

    performance.mark('heaplens:render-start');
    this.clearHighlight();
    this.matched = [];
    this.nodeEls = new Map();
    this.edgeEls = new Map();
    this.labelEls = new Map();
    this.drawEdges(edges, edgeIdx, layout);
    this.drawNodes(
      keys.map((k) => model.nodes.get(k)!),
      visible,
      layout,
    );
    if (this.focusedKey && this.nodeEls.has(this.focusedKey)) this.setTabStop(this.focusedKey);
    else this.setTabStop(targets.values().next().value ?? keys[0]);
    if (!keepView) this.initialView(targets);
    performance.measure('heaplens:render', 'heaplens:render-start');
  }

  private drawEdges(edges: GraphEdge[], edgeIdx: number[], layout: LayoutResult): void {
    const curve = line().curve(curveBumpY);
    this.edgeLayer.selectChildren().remove();
    this.labelLayer.selectChildren().remove();
    const labels: Array<{ x: number; y: number; text: string; edge: number }> = [];
    edges.forEach((edge, j) => {
      const pts = layout.routes[j];
      if (pts.length < 2) return;
      const back = layout.back[j];
      let d: string;
      let labelAt: [number, number];
      if (back && Math.abs(pts[0][1] - pts[pts.length - 1][1]) < 1) {
        // Same layer: an arc under both boxes, so it never runs through one.
        const [[x1, y], [x2]] = [pts[0], pts[pts.length - 1]];
        const low = y + H / 2 + 34;
        d = `M${x1},${y + H / 2}C${x1},${low} ${x2},${low} ${x2},${y + H / 2}`;
        labelAt = [(x1 + x2) / 2, (y + H / 2) / 4 + (low * 3) / 4];
      } else if (back) {
        // A reference back up (a cycle): loop out to the right of both boxes.
        const [[x1, y1], [x2, y2]] = [pts[0], pts[pts.length - 1]];
        const bulge = W / 2 + 40 + Math.abs(y1 - y2) / 6;
        d = `M${x1 + W / 2},${y1}C${x1 + bulge},${y1} ${x2 + bulge},${y2} ${x2 + W / 2},${y2}`;
        // The curve's midpoint (t = 1/2 of the cubic), where the label cannot miss it.
        labelAt = [(x1 + x2 + W) / 8 + ((x1 + x2 + 2 * bulge) * 3) / 8, (y1 + y2) / 2];
      } else {
        d = curve(pts) ?? '';
        labelAt = [(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2];
      }
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('class', `edge edge-${edge.kind}${back ? ' back' : ''}`);
      path.setAttribute('d', d);
      this.edgeLayer.node()!.appendChild(path);
      this.edgeEls.set(edgeIdx[j], path);
      if (edge.label)
        labels.push({
          x: labelAt[0],
          y: labelAt[1],
          text: truncate(escapeVisible(String(edge.label)), 28),
          edge: edgeIdx[j],
        });
    });
    for (const label of dodgeLabels(labels)) {
      const text = document.createElementNS(SVG_NS, 'text');
      text.setAttribute('class', 'edge-label');
      text.setAttribute('x', String(label.x));
      text.setAttribute('y', String(label.y));
      text.textContent = label.text;
      this.labelLayer.node()!.appendChild(text);
      this.labelEls.set(label.edge, text);
    }
  }

  private drawNodes(nodes: GraphNode[], visible: VisibleGraph, layout: LayoutResult): void {
    // A size that is not a number (a malformed graph) draws as an empty bar, not an invalid <rect>.
    const size = (n: GraphNode): number =>
      Number.isFinite(n.retainedSize) && n.retainedSize > 0 ? n.retainedSize : 0;
    const maxRetained = nodes.reduce((m, n) => Math.max(m, size(n)), 1);
    const bar = scaleSqrt()
      .domain([0, maxRetained])
      .range([2, W - 16])
      .clamp(true);
    this.nodeLayer.selectChildren().remove();
    const g = this.nodeLayer
      .selectAll<SVGGElement, GraphNode>('g.node')
      .data(nodes)
      .join('g')
      .attr('class', (n) => `node kind-${n.kind}${n.target ? ' target' : ''}`)
      .attr('transform', (n) => `translate(${layout.x.get(n.key)},${layout.y.get(n.key)})`)
      .attr('tabindex', -1)
      .attr('role', 'button')
      .attr('aria-roledescription', 'heap object')
      .attr('aria-label', (n) => label(nodeSpeech(n), 300).text)
      .attr('data-key', (n) => n.key);
    g.filter((n) => n.kind === 'group')
      .append('path')
      .attr('class', 'stack')
      .attr('d', stackPath(W, H));
    g.filter((n) => !!n.target)
      .append('rect')
      .attr('class', 'target-ring')
      .attr('x', -W / 2 - 5)
      .attr('y', -H / 2 - 5)
      .attr('width', W + 10)
      .attr('height', H + 10)
      .attr('rx', 7);
    g.append('path')
      .attr('class', 'shape')
      .attr('d', (n) => shapePath(n.kind, W, H));
    g.append('rect')
      .attr('class', 'bar')
      .attr('x', -W / 2 + 8)
      .attr('y', H / 2 - 7)
      .attr('height', 3)
      .attr('width', (n) => bar(size(n)));
    g.append('text')
      .attr('class', 'glyph')
      .attr('x', -W / 2 + 20)
      .attr('y', -3)
      .text((n) => KIND_GLYPH[n.kind] ?? '?');
    g.append('text')
      .attr('class', 'name')
      .attr('x', -W / 2 + 36)
      .attr('y', -3)
      .text((n) => truncate(nodeTitle(n), 19));
    g.append('text')
      .attr('class', 'preview')
      .attr('x', -W / 2 + 36)
      .attr('y', 13)
      .text((n) => previewText(n, 16));
    g.append('text')
      .attr('class', 'size')
      .attr('x', W / 2 - 10)
      .attr('y', 13)
      .text((n) => formatBytes(n.retainedSize));
    const more = (n: GraphNode): number => (n.moreRetainers ?? 0) + (visible.hiddenRetainers.get(n.key) ?? 0);
    g.filter((n) => more(n) > 0)
      .append('text')
      .attr('class', 'more')
      .attr('x', W / 2)
      .attr('y', -H / 2 - 6)
      .text((n) => `+${formatCount(more(n))} more`);
    g.each((n, i, els) => this.nodeEls.set(n.key, els[i]));
    g.on('mouseenter', (event: MouseEvent, n) => this.events.hover(n, event))
      .on('mousemove', (event: MouseEvent, n) => this.events.hover(n, event))
      .on('mouseleave', () => this.events.hover(null))
      .on('click', (_event: MouseEvent, n) => {
        this.focusNode(n.key, false);
        this.events.activate(n);
      })
      .on('focus', (_event: FocusEvent, n) => {
        this.setTabStop(n.key);
        this.events.focus(n);
      })
      .on('keydown', (event: KeyboardEvent, n) => this.events.keydown(n, event));
  }

  /** Roving tabindex: exactly one node is in the Tab order. */
  private setTabStop(key: string | undefined): void {
    if (this.focusedKey) this.nodeEls.get(this.focusedKey)?.setAttribute('tabindex', '-1');
    this.focusedKey = key;
    if (key) this.nodeEls.get(key)?.setAttribute('tabindex', '0');
  }

  get focused(): string | undefined {
    return this.focusedKey;
  }

  focusNode(key: string, reveal = true): void {
    const el = this.nodeEls.get(key);
    if (!el) return;
    this.setTabStop(key);
    el.focus({ preventScroll: true });
    if (reveal) this.reveal(key);
  }

  /** Pan (not zoom) so the node is inside the view with a margin. */
  reveal(key: string): void {
    const svgEl = this.svg.node()!;
    const x = this.layout?.x.get(key);
    const y = this.layout?.y.get(key);
    if (x === undefined || y === undefined) return;
    const t = zoomTransform(svgEl);
    const [sx, sy] = t.apply([x, y]);
    const { width, height } = svgEl.getBoundingClientRect();
    const margin = 60;
    if (sx < margin || sy < margin || sx > width - margin || sy > height - margin) {
      this.svg.call(this.zoomBehavior.translateTo, x, y);
    }
  }

  highlight(nodeKeys: Iterable<string>, edgeIdx: Iterable<number>): void {
    const next: Element[] = [];
    for (const k of nodeKeys) {
      const el = this.nodeEls.get(k);
      if (el) next.push(el);
    }
    for (const e of edgeIdx) {
      const el = this.edgeEls.get(e);
      if (el) next.push(el);
      const label = this.labelEls.get(e);
      if (label) next.push(label);
    }
    this.setLit(next);
  }

  clearHighlight(): void {
    this.setLit([]);
  }

  /**
   * Swap the lit set without toggling the dimming class on the <svg> when it stays on:
   * that toggle restyles every node, which is what made hover slow on big graphs.
   */
  private setLit(next: Element[]): void {
    const keep = new Set(next);
    for (const el of this.lit) if (!keep.has(el)) el.classList.remove('hl');
    for (const el of next) el.classList.add('hl');
    this.lit = next;
    const on = next.length > 0;
    if (this.svg.classed('has-hl') !== on) this.svg.classed('has-hl', on);
  }

  markMatches(keys: ReadonlySet<string> | null): void {
    for (const el of this.matched) el.classList.remove('match');
    this.matched = [];
    if (keys)
      for (const k of keys) {
        const el = this.nodeEls.get(k);
        if (el) {
          el.classList.add('match');
          this.matched.push(el);
        }
      }
    this.svg.classed('searching', keys !== null);
  }

  fit(): void {
    const svgEl = this.svg.node()!;
    const { width, height } = svgEl.getBoundingClientRect();
    const layout = this.layout;
    if (!layout || width === 0 || height === 0) return;
    const k = this.fitScale();
    this.zoomBehavior.scaleExtent([Math.min(0.02, k), 4]);
    const t = zoomIdentity
      .translate(width / 2, height / 2)
      .scale(k)
      .translate(-layout.width / 2, -layout.height / 2 + 10);
    this.svg.call(this.zoomBehavior.transform, t);
  }

  /**
   * Fit small graphs. A big one fitted is a grey carpet, so start readable on the
   * explained object (near the bottom of the view, its retainers above); Fit is a click away.
   */
  private initialView(targets: ReadonlySet<string>): void {
    const k = this.fitScale();
    const target = targets.values().next().value;
    if (k >= 0.45 || target === undefined || !this.layout) return this.fit();
    const { width, height } = this.svg.node()!.getBoundingClientRect();
    const x = this.layout.x.get(target)!;
    const y = this.layout.y.get(target)!;
    this.zoomBehavior.scaleExtent([Math.min(0.02, k), 4]);
    this.svg.call(
      this.zoomBehavior.transform,
      zoomIdentity
        .translate(width / 2, height * 0.78)
        .scale(0.8)
        .translate(-x, -y),
    );
  }

  private fitScale(): number {
    const { width, height } = this.svg.node()!.getBoundingClientRect();
    const layout = this.layout;
    if (!layout || width === 0 || height === 0) return 1;
    const pad = 40;
    return Math.min(2, (width - pad) / (layout.width + pad), (height - pad) / (layout.height + pad + 20));
  }

  /** Labels cost most of the paint; drop them when they would be unreadable anyway. */
  private updateLevelOfDetail(k: number): void {
    const lod = k < 0.3 ? 'lod-far' : k < 0.55 ? 'lod-mid' : '';
    if (lod === this.lod) return;
    this.svg.classed('lod-far', lod === 'lod-far').classed('lod-mid', lod === 'lod-mid');
    this.lod = lod;
  }

  /** The element per node key; exportSvg and tests use it. */
  element(key: string): SVGGElement | undefined {
    return this.nodeEls.get(key);
  }

  get svgElement(): SVGSVGElement {
    return this.svg.node()!;
  }
}
