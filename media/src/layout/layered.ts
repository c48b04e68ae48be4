// A layered (Sugiyama-style) layout for retainer graphs, written for this view:
//   1. layers by BFS depth from the GC roots, so roots sit on top and paths that share
//      retainers merge; the explained object(s) are pushed to the bottom layer;
//   2. edges that skip layers get invisible waypoints so they route around boxes;
//   3. a few barycentric sweeps order each layer to cut crossings;
//   4. x positions pulled towards neighbours (placeLayer) with fixed gaps.
// Pure: no DOM, no d3, so it runs in Node tests and the bench measures it alone.

import { placeLayer } from './placeLayer';

export interface LayoutInput {
  keys: readonly string[];
  edges: ReadonlyArray<{ from: string; to: string }>;
  roots: ReadonlySet<string>;
  targets: ReadonlySet<string>;
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  layerGap: number;
  nodeGap: number;
  sweeps: number;
}

export interface LayoutResult {
  /** Centre of each node. */
  x: Map<string, number>;
  y: Map<string, number>;
  layer: Map<string, number>;
  /** Per layer, the real nodes in left-to-right order (keyboard Left/Right uses it). */
  layers: string[][];
  /** Per input edge: points from the retainer's bottom to the retained node's top. */
  routes: Array<Array<[number, number]>>;
  /** Per input edge: true when it goes up or sideways (a cycle), drawn differently. */
  back: boolean[];
  width: number;
  height: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 200,
  nodeHeight: 46,
  layerGap: 64,
  nodeGap: 28,
  sweeps: 4,
};

/**
 * Edges that close a cycle, found by depth-first search from the roots. Ignoring them
 * leaves a DAG, in which every other edge can point down.
 */
function findBackEdges(input: LayoutInput, outEdges: Map<string, number[]>): Set<number> {
  const back = new Set<number>();
  const state = new Map<string, 1 | 2>(); // 1 = on the DFS stack, 2 = done
  const run = (start: string): void => {
    if (state.has(start)) return;
    const stack: Array<{ key: string; next: number }> = [{ key: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const list = outEdges.get(top.key) ?? [];
      if (top.next >= list.length) {
        state.set(top.key, 2);
        stack.pop();
        continue;
      }
      const e = list[top.next++];
      const to = input.edges[e].to;
      const seen = state.get(to);
      if (seen === 1) back.add(e);
      else if (seen === undefined) {
        state.set(to, 1);
        stack.push({ key: to, next: 0 });
      }
    }
  };
  for (const r of input.roots) run(r);
  for (const k of input.keys) run(k);
  return back;
}

/**
 * Longest-path layering over the DAG: every retainer sits above what it retains, so
 * all arrows point down and paths from several roots meet where they share a node.
 * Nodes whose own retainers are not loaded yet sit just above what they retain
 * rather than up among the GC roots. The explained object(s) go to the bottom.
 */
function assignLayers(
  input: LayoutInput,
  down: Map<string, string[]>,
  up: Map<string, string[]>,
): Map<string, number> {
  const layer = new Map<string, number>();
  const indegree = new Map<string, number>();
  for (const k of input.keys) indegree.set(k, up.get(k)?.length ?? 0);
  const queue = input.keys.filter((k) => indegree.get(k) === 0);
  for (const k of queue) layer.set(k, 0);
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head];
    const d = layer.get(from)! + 1;
    for (const to of down.get(from) ?? []) {
      if (d > (layer.get(to) ?? -1)) layer.set(to, d);
      const left = indegree.get(to)! - 1;
      indegree.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  // Unretained non-roots: lift them down to just above their highest child.
  for (const k of input.keys) {
    if ((up.get(k)?.length ?? 0) > 0 || input.roots.has(k)) continue;
    const below = (down.get(k) ?? []).map((c) => layer.get(c)!);
    if (below.length > 0) layer.set(k, Math.max(0, Math.min(...below) - 1));
  }
  if (input.targets.size > 0) {
    let deepestOther = -1;
    let deepestTarget = 0;
    for (const [k, d] of layer) {
      if (input.targets.has(k)) deepestTarget = Math.max(deepestTarget, d);
      else deepestOther = Math.max(deepestOther, d);
    }
    const bottom = Math.max(deepestTarget, deepestOther + 1);
    for (const t of input.targets) if (layer.has(t)) layer.set(t, bottom);
  }
  return layer;
}

export function layoutLayered(input: LayoutInput, options: LayoutOptions = DEFAULT_LAYOUT): LayoutResult {
  const known = new Set(input.keys);
  const outEdges = new Map<string, number[]>();
  input.edges.forEach((e, i) => {
    if (known.has(e.from) && known.has(e.to))
      (outEdges.get(e.from) ?? outEdges.set(e.from, []).get(e.from)!).push(i);
  });
  const cycle = findBackEdges(input, outEdges);
  const out = new Map<string, string[]>();
  const inc = new Map<string, string[]>();
  input.edges.forEach((e, i) => {
    if (!known.has(e.from) || !known.has(e.to) || cycle.has(i)) return;
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
    (inc.get(e.to) ?? inc.set(e.to, []).get(e.to)!).push(e.from);
  });
  const layerOf = assignLayers(input, out, inc);

  // Layout graph: real nodes plus waypoints. Index-based for speed.
  const names: string[] = [...input.keys];
  const isReal: boolean[] = names.map(() => true);
  const lay: number[] = names.map((k) => layerOf.get(k)!);
  const index = new Map(names.map((k, i) => [k, i]));
  const up: number[][] = names.map(() => []);
  const down: number[][] = names.map(() => []);
  const chains: number[][] = [];
  const back: boolean[] = [];
  for (const e of input.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined) {
      chains.push([]);
      back.push(false);
      continue;
    }
    const isBack = lay[b] <= lay[a];
    back.push(isBack);
    const chain = [a];
    if (!isBack) {
      for (let l = lay[a] + 1; l < lay[b]; l++) {
        const w = names.push('') - 1;
        isReal.push(false);
        lay.push(l);
        up.push([]);
        down.push([]);
        chain.push(w);
      }
      chain.push(b);
      for (let i = 1; i < chain.length; i++) {
        down[chain[i - 1]].push(chain[i]);
        up[chain[i]].push(chain[i - 1]);
      }
    } else chain.push(b);
    chains.push(chain);
  }

  const layerCount = lay.reduce((m, l) => Math.max(m, l + 1), 0);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  // Initial order: depth-first from the roots keeps subtrees together (fewer crossings).
  const seen = new Uint8Array(names.length);
  const visit = (start: number): void => {
    const stack = [start];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (seen[v]) continue;
      seen[v] = 1;
      layers[lay[v]].push(v);
      for (let i = down[v].length - 1; i >= 0; i--) if (!seen[down[v][i]]) stack.push(down[v][i]);
    }
  };
  for (let v = 0; v < names.length; v++) if (up[v].length === 0) visit(v);
  for (let v = 0; v < names.length; v++) visit(v);

  const pos = new Float64Array(names.length);
  const renumber = (l: number): void =>
    layers[l].forEach((v, i) => {
      pos[v] = i;
    });
  for (let l = 0; l < layerCount; l++) renumber(l);
  const key = new Float64Array(names.length);
  // Plain loops, not reduce with a closure: these run over every layer of 13,000 layout
  // nodes (a 5,000-node graph with its waypoints) eight times.
  const mean = (ns: number[], at: Float64Array, self: number): number => {
    if (ns.length === 0) return at[self];
    let sum = 0;
    for (let i = 0; i < ns.length; i++) sum += at[ns[i]];
    return sum / ns.length;
  };
  const reorder = (l: number, neighbours: number[][]): void => {
    const row = layers[l];
    let sorted = true;
    for (let i = 0; i < row.length; i++) {
      key[row[i]] = mean(neighbours[row[i]], pos, row[i]);
      if (i > 0 && key[row[i - 1]] > key[row[i]]) sorted = false;
    }
    // Ties keep the current order (pos), so a row already in key order stays as it is:
    // after the first sweeps most rows are, and the sort is skipped.
    if (sorted) return;
    row.sort((a, b) => key[a] - key[b] || pos[a] - pos[b]);
    renumber(l);
  };
  for (let s = 0; s < options.sweeps; s++) {
    for (let l = 1; l < layerCount; l++) reorder(l, up);
    for (let l = layerCount - 2; l >= 0; l--) reorder(l, down);
  }

  // X: pack, then pull towards neighbours, down and up, a few times.
  const width = (v: number): number => (isReal[v] ? options.nodeWidth : 12);
  const x = new Float64Array(names.length);
  const gapsOf = (l: number): number[] => {
    const row = layers[l];
    const gaps: number[] = [];
    for (let i = 1; i < row.length; i++) gaps.push((width(row[i - 1]) + width(row[i])) / 2 + options.nodeGap);
    return gaps;
  };
  const gapCache = layers.map((_, l) => gapsOf(l));
  for (let l = 0; l < layerCount; l++) {
    const row = layers[l];
    let acc = 0;
    row.forEach((v, i) => {
      x[v] = acc;
      acc += gapCache[l][i] ?? 0;
    });
    const shift = acc / 2;
    for (const v of row) x[v] -= shift;
  }
  const pull = (l: number, neighbours: number[][]): void => {
    const row = layers[l];
    const desired = new Array<number>(row.length);
    for (let i = 0; i < row.length; i++) desired[i] = mean(neighbours[row[i]], x, row[i]);
    const placed = placeLayer(desired, gapCache[l]);
    for (let i = 0; i < row.length; i++) x[row[i]] = placed[i];
  };
  for (let s = 0; s < 3; s++) {
    for (let l = 1; l < layerCount; l++) pull(l, up);
    for (let l = layerCount - 2; l >= 0; l--) pull(l, down);
  }

  let minX = Infinity;
  let maxX = -Infinity;
  for (let v = 0; v < names.length; v++) {
    minX = Math.min(minX, x[v] - width(v) / 2);
    maxX = Math.max(maxX, x[v] + width(v) / 2);
  }
  if (!Number.isFinite(minX)) minX = maxX = 0;
  const step = options.nodeHeight + options.layerGap;
  const yOf = (v: number): number => lay[v] * step + options.nodeHeight / 2;
  const result: LayoutResult = {
    x: new Map(),
    y: new Map(),
    layer: new Map(),
    layers: layers.map((row) => row.filter((v) => isReal[v]).map((v) => names[v])),
    routes: [],
    back,
    width: maxX - minX,
    height: layerCount * step - options.layerGap,
  };
  for (let v = 0; v < input.keys.length; v++) {
    result.x.set(names[v], x[v] - minX);
    result.y.set(names[v], yOf(v));
    result.layer.set(names[v], lay[v]);
  }
  const half = options.nodeHeight / 2;
  result.routes = chains.map((chain, i) => {
    if (chain.length === 0) return [];
    const pts: Array<[number, number]> = chain.map((v) => [x[v] - minX, yOf(v)]);
    if (back[i]) return pts;
    pts[0] = [pts[0][0], pts[0][1] + half];
    pts[pts.length - 1] = [pts[pts.length - 1][0], pts[pts.length - 1][1] - half];
    return pts;
  });
  return result;
}
