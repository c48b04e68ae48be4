// The dominator tree: each object under the one object whose release would free it, children
// by retained size, as MAT and DevTools' Retainers show it. Built lazily: a view asks for one
// node's children at a time, so a million-node tree is never materialised as JSON.

import { HeapAnalysis } from '../graph/analysis';
import { dominatedNodes } from '../classes';
import { nodeLabel, valuePreview } from '../describe';
import { ClassKeys } from './classKeys';

export interface DominatorRow {
  id: number;
  /** Class as the Summary names it (with its location when known). Untrusted heap text. */
  name: string;
  /** The edge from the dominator's subtree that leads here, when it is a direct reference. */
  edge?: string;
  preview?: string;
  selfSize: number;
  retainedSize: number;
  /** Share of the whole heap this node retains, 0..1. */
  share: number;
  distance: number;
  childCount: number;
  /** Filled to the requested depth; absent when not expanded. */
  children?: DominatorRow[];
  /** Children left out past `limit` (the "N more" row). */
  moreChildren?: number;
}

export interface DominatorQuery {
  /** Snapshot id of the node to start from; the root by default. */
  id?: number;
  depth?: number;
  /** Children shown per node, largest first. */
  limit?: number;
}

export class DominatorTree {
  private readonly first: Uint32Array;
  private readonly list: Uint32Array;
  private readonly total: number;

  constructor(
    private readonly a: HeapAnalysis,
    private readonly keys: ClassKeys = ClassKeys.of(a),
  ) {
    ({ first: this.first, list: this.list } = dominatedNodes(a));
    this.total = a.retainedSize[a.snapshot.rootOrdinal] || 1;
  }

  /** Node ordinals dominated directly by `n`, largest retained size first. */
  children(n: number): number[] {
    const out = Array.from(this.list.subarray(this.first[n], this.first[n + 1]));
    const r = this.a.retainedSize;
    return out.sort((x, y) => r[y] - r[x]);
  }

  row(n: number, depth: number, limit: number): DominatorRow {
    const a = this.a;
    const childCount = this.first[n + 1] - this.first[n];
    const edge = this.edgeFromDominator(n);
    const row: DominatorRow = {
      id: a.snapshot.nodeId[n],
      name: n === a.snapshot.rootOrdinal ? nodeLabel(a, n) : this.keys.label(this.keys.groupOf(n)),
      ...(edge !== undefined ? { edge } : {}),
      ...(valuePreview(a, n) !== undefined ? { preview: valuePreview(a, n) } : {}),
      selfSize: a.selfSize[n],
      retainedSize: a.retainedSize[n],
      share: a.retainedSize[n] / this.total,
      distance: a.distance[n],
      childCount,
    };
    if (depth > 0 && childCount > 0) {
      const kids = this.children(n);
      row.children = kids.slice(0, limit).map((c) => this.row(c, depth - 1, limit));
      if (kids.length > limit) row.moreChildren = kids.length - limit;
    }
    return row;
  }

  /** The tree from `query.id` (or the root), `depth` levels down. Null for an unknown id. */
  query(query: DominatorQuery, ordinalOf: (id: number) => number): DominatorRow | null {
    const n = query.id === undefined ? this.a.snapshot.rootOrdinal : ordinalOf(query.id);
    if (n < 0) return null;
    return this.row(n, query.depth ?? 1, query.limit ?? 50);
  }

  /** The name of the edge from the immediate dominator, when it holds `n` directly. */
  private edgeFromDominator(n: number): string | undefined {
    const a = this.a;
    const dom = a.idom[n];
    const { firstRetainer, retainerEdge } = a.retainers;
    for (let i = firstRetainer[n]; i < firstRetainer[n + 1]; i++) {
      if (a.snapshot.edgeOwner(retainerEdge[i]) === dom) return a.snapshot.edgeNameString(retainerEdge[i]);
    }
    return undefined;
  }
}
