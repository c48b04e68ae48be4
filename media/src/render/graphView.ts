// Draws a laid-out retainer graph into the <svg>, and owns zoom/pan, the hover/focus
// highlight and the roving tabindex. It knows nothing about the host: what a click or a key
// means is decided by the caller through GraphViewEvents.
//
// A big graph is drawn lazily: the first frame gets only what the view shows (and a margin);
// the rest is built in idle time, and anything a pan, a zoom or a key needs first is built
// at once. The style, layout and paint of 40,000 SVG elements nobody can see yet was most
// of a 5,000-node graph's first paint. Every heap string goes in through textContent.

import { select, zoom, zoomIdentity, zoomTransform } from 'd3';
import type { Selection, ZoomBehavior, ZoomTransform } from 'd3';
import type { GraphNode } from '../../../src/core/report';
import type { GraphModel } from '../model/graphModel';
import type { VisibleGraph } from '../model/prune';
import { layoutLayered, type LayoutResult } from '../layout/layered';
import { LazyDrawing } from './lazyDrawing';

export interface GraphViewEvents {
  hover(node: GraphNode | null, event?: MouseEvent): void;
  activate(node: GraphNode): void;
  focus(node: GraphNode): void;
  keydown(node: GraphNode, event: KeyboardEvent): void;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

export class GraphView {
  layout: LayoutResult | undefined;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly viewport: G;
  private readonly edgeLayer: SVGGElement;
  private readonly labelLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private readonly zoomBehavior: ZoomBehavior<SVGSVGElement, unknown>;
  private nodeEls = new Map<string, SVGGElement>();
  private edgeEls = new Map<number, SVGPathElement>();
  private labelEls = new Map<number, SVGTextElement>();
  private nodeByKey = new Map<string, GraphNode>();
  private drawing: LazyDrawing | undefined;
  /** Lit and matched keys/edges, so an element built later is born lit. */
  private litKeys = new Set<string>();
  private litEdges = new Set<number>();
  private matchKeys: ReadonlySet<string> | null = null;
  private lit: Element[] = [];
  private matched: Element[] = [];
  private focusedKey: string | undefined;
  private lod = '';
  /** The <svg>'s size when last measured: read once per draw, before anything is built. */
  private viewSize = { width: 0, height: 0 };

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
    this.edgeLayer = this.viewport.append('g').attr('class', 'edges').attr('aria-hidden', 'true').node()!;
    this.labelLayer = this.viewport
      .append('g')
      .attr('class', 'edge-labels')
      .attr('aria-hidden', 'true')
      .node()!;
    this.nodeLayer = this.viewport.append('g').attr('class', 'nodes').node()!;
    this.listen();
    this.zoomBehavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.02, 4])
      .on('zoom', (event: { transform: ZoomTransform }) => {
        this.viewport.attr('transform', event.transform.toString());
        this.updateLevelOfDetail(event.transform.k);
        this.drawing?.buildInView(event.transform, this.viewSize.width, this.viewSize.height);
      });
    this.svg.call(this.zoomBehavior).on('dblclick.zoom', null);
  }

  /** One listener per event on the node layer (capture for those that do not bubble). */
  private listen(): void {
    const nodeOf = (e: Event, exact: boolean): GraphNode | undefined => {
      const t = e.target as Element | null;
      const g = exact ? (t?.matches?.('g.node') ? t : null) : t?.closest?.('g.node');
      const key = g?.getAttribute('data-key');
      return key === null || key === undefined ? undefined : this.nodeByKey.get(key);
    };
    const layer = this.nodeLayer;
    layer.addEventListener(
      'mouseenter',
      (e) => {
        const n = nodeOf(e, true);
        if (n) this.events.hover(n, e);
      },
      true,
    );
    layer.addEventListener('mousemove', (e) => {
      const n = nodeOf(e, false);
      if (n) this.events.hover(n, e);
    });
    layer.addEventListener(
      'mouseleave',
      (e) => {
        if (nodeOf(e, true)) this.events.hover(null);
      },
      true,
    );
    layer.addEventListener('click', (e) => {
      const n = nodeOf(e, false);
      if (!n) return;
      this.focusNode(n.key, false);
      this.events.activate(n);
    });
    layer.addEventListener(
      'focus',
      (e) => {
        const n = nodeOf(e, true);
        if (!n) return;
        this.setTabStop(n.key);
        this.events.focus(n);
      },
      true,
    );
    layer.addEventListener('keydown', (e) => {
      const n = nodeOf(e, false);
      if (n) this.events.keydown(n, e);
    });
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
    this.edgeLayer.replaceChildren();
    this.labelLayer.replaceChildren();
    this.nodeLayer.replaceChildren();
    this.drawing?.cancel();
    const nodes = keys.map((k) => model.nodes.get(k)!);
    this.nodeByKey = new Map(nodes.map((n) => [n.key, n]));
    const layers = { edges: this.edgeLayer, labels: this.labelLayer, nodes: this.nodeLayer };
    this.drawing = new LazyDrawing(layers, nodes, edges, edgeIdx, visible, layout, {
      node: (el, n) => this.nodeBuilt(el, n),
      edge: (index, path, label) => this.edgeBuilt(index, path, label),
      done: () => this.svg.attr('aria-busy', null),
    });
    // Busy while a lazy draw still builds (tests and the bench wait for the whole graph).
    this.svg.attr('aria-busy', this.drawing.lazy ? 'true' : null);
    // The view is placed before anything is built, so only what it shows is built first,
    // and reading the <svg>'s size never waits for the layout of new elements.
    this.measure();
    if (!keepView) this.initialView(targets);
    if (!this.drawing.lazy) this.drawing.buildAll();
    else {
      this.drawing.buildInView(zoomTransform(this.svg.node()!), this.viewSize.width, this.viewSize.height);
      this.drawing.buildWhenIdle();
    }
    if (this.focusedKey && this.nodeByKey.has(this.focusedKey)) this.setTabStop(this.focusedKey);
    else this.setTabStop(targets.values().next().value ?? keys[0]);
    performance.measure('heaplens:render', 'heaplens:render-start');
  }

  private nodeBuilt(el: SVGGElement, n: GraphNode): void {
    this.nodeEls.set(n.key, el);
    if (n.key === this.focusedKey) el.setAttribute('tabindex', '0');
    if (this.litKeys.has(n.key)) this.light(el);
    if (this.matchKeys?.has(n.key)) {
      el.classList.add('match');
      this.matched.push(el);
    }
  }

  private edgeBuilt(index: number, path: SVGPathElement, label: SVGTextElement | undefined): void {
    this.edgeEls.set(index, path);
    if (label) this.labelEls.set(index, label);
    if (!this.litEdges.has(index)) return;
    this.light(path);
    if (label) this.light(label);
  }

  private light(el: Element): void {
    el.classList.add('hl');
    this.lit.push(el);
  }

  /** Everything a lazy draw has not built yet, now (before an export). */
  buildAll(): void {
    this.drawing?.buildAll();
  }

  private ensureNode(key: string): SVGGElement | undefined {
    this.drawing?.buildNodeOf(key);
    return this.nodeEls.get(key);
  }

  /** Roving tabindex: exactly one node is in the Tab order. */
  private setTabStop(key: string | undefined): void {
    if (this.focusedKey) this.nodeEls.get(this.focusedKey)?.setAttribute('tabindex', '-1');
    this.focusedKey = key;
    if (key) this.ensureNode(key)?.setAttribute('tabindex', '0');
  }

  get focused(): string | undefined {
    return this.focusedKey;
  }

  focusNode(key: string, reveal = true): void {
    const el = this.ensureNode(key);
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
    const { width, height } = this.measure();
    const margin = 60;
    if (sx < margin || sy < margin || sx > width - margin || sy > height - margin) {
      this.svg.call(this.zoomBehavior.translateTo, x, y);
    }
  }

  highlight(nodeKeys: Iterable<string>, edgeIdx: Iterable<number>): void {
    this.litKeys = new Set(nodeKeys);
    this.litEdges = new Set(edgeIdx);
    const next: Element[] = [];
    for (const k of this.litKeys) {
      const el = this.nodeEls.get(k);
      if (el) next.push(el);
    }
    for (const e of this.litEdges) {
      const el = this.edgeEls.get(e);
      if (el) next.push(el);
      const label = this.labelEls.get(e);
      if (label) next.push(label);
    }
    this.setLit(next);
  }

  clearHighlight(): void {
    this.litKeys = new Set();
    this.litEdges = new Set();
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
    // Lit nodes not built yet (a lazy draw) dim the rest too, as they will once built.
    const on = next.length > 0 || [...this.litKeys].some((k) => this.nodeByKey.has(k));
    if (this.svg.classed('has-hl') !== on) this.svg.classed('has-hl', on);
  }

  markMatches(keys: ReadonlySet<string> | null): void {
    for (const el of this.matched) el.classList.remove('match');
    this.matched = [];
    this.matchKeys = keys;
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
    const { width, height } = this.measure();
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
    const { width, height } = this.viewSize;
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
    const { width, height } = this.viewSize;
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

  /** The element per node key (built now if a lazy draw has not reached it); tests use it. */
  element(key: string): SVGGElement | undefined {
    return this.ensureNode(key);
  }

  /** The <svg>'s size, read afresh (a forced layout when the page has pending changes). */
  private measure(): { width: number; height: number } {
    const { width, height } = this.svg.node()!.getBoundingClientRect();
    this.viewSize = { width, height };
    return this.viewSize;
  }

  get svgElement(): SVGSVGElement {
    return this.svg.node()!;
  }
}
