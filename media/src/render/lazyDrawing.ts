// One drawn graph's elements, built on demand. A big graph's first frame gets only what the
// view shows (and half a screen around it); the rest is built in idle time, and whatever a
// pan, a zoom or a key needs first is built at once. The style, layout and paint of 40,000
// SVG elements nobody could see yet were most of a 5,000-node graph's first paint. A small
// graph (all of it in view once fitted) is built whole, in data order, at once.

import { scaleSqrt } from 'd3';
import type { ZoomTransform } from 'd3';
import type { GraphEdge, GraphNode } from '../../../src/core/report';
import type { VisibleGraph } from '../model/prune';
import { DEFAULT_LAYOUT, type LayoutResult } from '../layout/layered';
import {
  edgeElement,
  edgeLabelElement,
  edgeLabelText,
  edgeShape,
  nodeElement,
  type EdgeShape,
} from './elements';
import { dodgeLabels } from './labels';

const W = DEFAULT_LAYOUT.nodeWidth;
const H = DEFAULT_LAYOUT.nodeHeight;
/** Graphs up to this many nodes are built whole at once. */
export const EAGER_NODES = 600;
/** Elements built per idle slice when the page has no deadline to offer. */
const IDLE_CHUNK = 150;

export interface Layers {
  edges: SVGGElement;
  labels: SVGGElement;
  nodes: SVGGElement;
}

/** Told of each element as it is built, so it is born lit, matched or in the Tab order. */
export interface BuildHooks {
  node(el: SVGGElement, n: GraphNode): void;
  edge(index: number, path: SVGPathElement, label: SVGTextElement | undefined): void;
  /** Everything is built. */
  done(): void;
}

interface EdgeItem {
  edge: GraphEdge;
  /** The edge's index in the model (what highlights name). */
  index: number;
  shape: EdgeShape;
}

export class LazyDrawing {
  readonly lazy: boolean;
  private readonly bar: (n: GraphNode) => number;
  private readonly edges: EdgeItem[] = [];
  private readonly labels: Map<number, { x: number; y: number; text: string }>;
  private readonly indexOfKey: Map<string, number>;
  /** Positions in `nodes` / `edges` not built yet. */
  private readonly nodeTodo: Set<number>;
  private readonly edgeTodo: Set<number>;
  private idle = 0;
  private told = false;

  constructor(
    private readonly layers: Layers,
    private readonly nodes: GraphNode[],
    edges: GraphEdge[],
    edgeIdx: number[],
    private readonly visible: VisibleGraph,
    private readonly layout: LayoutResult,
    private readonly hooks: BuildHooks,
  ) {
    this.lazy = nodes.length > EAGER_NODES;
    // A size that is not a number (a malformed graph) draws as an empty bar, not an invalid <rect>.
    const size = (n: GraphNode): number =>
      Number.isFinite(n.retainedSize) && n.retainedSize > 0 ? n.retainedSize : 0;
    const maxRetained = nodes.reduce((m, n) => Math.max(m, size(n)), 1);
    const scale = scaleSqrt()
      .domain([0, maxRetained])
      .range([2, W - 16])
      .clamp(true);
    this.bar = (n) => scale(size(n));
    // Label positions depend on each other (dodging), so they are all placed now; only
    // their elements wait.
    const labels: Array<{ x: number; y: number; text: string; edge: number }> = [];
    edges.forEach((edge, j) => {
      const shape = edgeShape(layout.routes[j], layout.back[j]);
      if (!shape) return;
      this.edges.push({ edge, index: edgeIdx[j], shape });
      if (edge.label)
        labels.push({
          x: shape.labelAt[0],
          y: shape.labelAt[1],
          text: edgeLabelText(edge),
          edge: edgeIdx[j],
        });
    });
    this.labels = new Map(dodgeLabels(labels).map((l) => [l.edge, l]));
    this.indexOfKey = new Map(nodes.map((n, i) => [n.key, i]));
    this.nodeTodo = new Set(nodes.keys());
    this.edgeTodo = new Set(this.edges.keys());
  }

  get done(): boolean {
    return this.nodeTodo.size === 0 && this.edgeTodo.size === 0;
  }

  /** Builds the node now if it was not yet (a key not in the graph is ignored). */
  buildNodeOf(key: string): void {
    const i = this.indexOfKey.get(key);
    if (i !== undefined) this.buildNode(i);
    this.checkDone();
  }

  /** Everything not built yet, now. */
  buildAll(): void {
    for (const j of [...this.edgeTodo]) this.buildEdge(j);
    for (const i of [...this.nodeTodo]) this.buildNode(i);
    this.checkDone();
  }

  /** What the view at transform `t` shows, with half a screen around it (big graphs only). */
  buildInView(t: ZoomTransform, width: number, height: number): void {
    if (!this.lazy || this.done) return;
    const [x0, y0] = t.invert([-width / 2, -height / 2]);
    const [x1, y1] = t.invert([width * 1.5, height * 1.5]);
    for (const j of [...this.edgeTodo]) {
      const b = this.edges[j].shape.box;
      if (b.x1 >= x0 && b.x0 <= x1 && b.y1 >= y0 && b.y0 <= y1) this.buildEdge(j);
    }
    for (const i of [...this.nodeTodo]) {
      const k = this.nodes[i].key;
      const x = this.layout.x.get(k)!;
      const y = this.layout.y.get(k)!;
      if (x + W / 2 >= x0 && x - W / 2 <= x1 && y + H / 2 >= y0 && y - H / 2 <= y1) this.buildNode(i);
    }
    this.checkDone();
  }

  /** The rest, a slice per idle period, so frames stay short and input is answered. */
  buildWhenIdle(): void {
    if (this.done || this.idle) return;
    this.idle = requestIdleCallback(
      (deadline) => {
        this.idle = 0;
        let built = 0;
        const more = (): boolean =>
          deadline.didTimeout ? built++ < IDLE_CHUNK : deadline.timeRemaining() > 2;
        for (const j of this.edgeTodo) {
          if (!more()) break;
          this.buildEdge(j);
        }
        for (const i of this.nodeTodo) {
          if (!more()) break;
          this.buildNode(i);
        }
        this.checkDone();
        this.buildWhenIdle();
      },
      { timeout: 200 },
    );
  }

  /** Stops the idle building (the graph is being replaced). */
  cancel(): void {
    if (this.idle) cancelIdleCallback(this.idle);
    this.idle = 0;
  }

  private checkDone(): void {
    if (this.done && !this.told) {
      this.told = true;
      this.cancel();
      this.hooks.done();
    }
  }

  private buildNode(i: number): void {
    if (!this.nodeTodo.delete(i)) return;
    const n = this.nodes[i];
    const more = (n.moreRetainers ?? 0) + (this.visible.hiddenRetainers.get(n.key) ?? 0);
    const el = nodeElement(n, this.layout.x.get(n.key)!, this.layout.y.get(n.key)!, this.bar(n), more);
    this.layers.nodes.appendChild(el);
    this.hooks.node(el, n);
  }

  private buildEdge(j: number): void {
    if (!this.edgeTodo.delete(j)) return;
    const { edge, index, shape } = this.edges[j];
    const path = edgeElement(edge, shape);
    this.layers.edges.appendChild(path);
    const at = this.labels.get(index);
    const text = at ? edgeLabelElement(at.x, at.y, at.text) : undefined;
    if (text) this.layers.labels.appendChild(text);
    this.hooks.edge(index, path, text);
  }
}
