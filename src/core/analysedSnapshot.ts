// One analysed snapshot and the questions asked of it. Everything returned is plain JSON,
// so the same object serves the CLI directly and the extension through a worker thread.

import { HeapAnalysis } from './graph/analysis';
import { ClassSummary, summarizeClasses } from './classes';
import { buildRetainerGraph, RetainerGraphOptions } from './retainerGraph';
import { RetainerGraph } from './report';
import { className, nodeLabel } from './describe';
import { DEFAULTS } from '../contracts/defaults';
import { ClassKeys } from './workbench/classKeys';
import { DominatorQuery, DominatorRow, DominatorTree } from './workbench/dominatorTree';
import { findSuspects, Suspect } from './workbench/suspects';
import { summarizeByLocation, SummaryRow } from './workbench/summary';
import { compareWithCurrent, EditorComparison } from './workbench/compare';
import { attribute, Attribution, AttributionKey } from './workbench/attribution';
import { findWaste, WasteReport } from './workbench/waste';
import { mergePaths } from './workbench/merged';
import { classMembers, mergedPathGraph, MergedPathsQuery, MergedPathsView } from './workbench/mergedGraph';
import { PauseHold, PauseRoute, PauseView } from './pause';

export interface NodeInfo {
  id: number;
  name: string;
  className: string;
  selfSize: number;
  retainedSize: number;
  distance: number;
}

export interface SnapshotStats {
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  hasAllocationTraces: boolean;
}

export class AnalysedSnapshot {
  /** Node ordinals in id order, built on first use (a Map of millions of ids took seconds and ~40 B a node). */
  private byId: Uint32Array | null = null;
  private pauseView: PauseView | null = null;

  /** `pathDistance`: distances for drawing paths (a hunt's, which skip its harness object). */
  constructor(
    readonly analysis: HeapAnalysis,
    private readonly pathDistance?: Int32Array,
  ) {}

  stats(): SnapshotStats {
    const a = this.analysis;
    return {
      nodeCount: a.snapshot.nodeCount,
      edgeCount: a.snapshot.edgeCount,
      totalSize: a.retainedSize[a.snapshot.rootOrdinal] + a.snapshot.extraNativeBytes,
      hasAllocationTraces: a.snapshot.traces !== null,
    };
  }

  summary(top = 200): ClassSummary[] {
    return summarizeClasses(this.analysis).slice(0, top);
  }

  /** The workbench's views, computed on first use and kept (each is one pass over the heap). */
  private workbench: {
    keys: ClassKeys;
    tree?: DominatorTree;
    suspects?: Suspect[];
    summary?: SummaryRow[];
    attribution?: Partial<Record<AttributionKey, Attribution>>;
    waste?: WasteReport;
  } | null = null;

  private keys(): NonNullable<AnalysedSnapshot['workbench']> {
    return (this.workbench ??= { keys: ClassKeys.of(this.analysis) });
  }

  suspects(): Suspect[] {
    const w = this.keys();
    return (w.suspects ??= findSuspects(this.analysis, {}, w.keys));
  }

  dominators(query: DominatorQuery): DominatorRow | null {
    const w = this.keys();
    w.tree ??= new DominatorTree(this.analysis, w.keys);
    return w.tree.query(query, (id) => this.ordinalOf(id));
  }

  /** The current snapshot compared with another of the same process (already analysed). */
  compareWith(other: HeapAnalysis): EditorComparison {
    return compareWithCurrent(this.analysis, other);
  }

  summaryByLocation(top = 500): SummaryRow[] {
    const w = this.keys();
    return (w.summary ??= summarizeByLocation(this.analysis, w.keys)).slice(0, top);
  }

  /** Retained size by package or by file (attribution.ts), each kept once computed. */
  attribution(by: AttributionKey): Attribution {
    const w = this.keys();
    const cache = (w.attribution ??= {});
    return (cache[by] ??= attribute(this.analysis, by, w.keys.scripts));
  }

  waste(): WasteReport {
    const w = this.keys();
    return (w.waste ??= findWaste(this.analysis, { limit: 50 }));
  }

  /** The shortest paths of every object of `query.id`'s Summary row, merged, as a graph. */
  mergedPaths(query: MergedPathsQuery, maxNodes: number = DEFAULTS.graphSizeLimit): MergedPathsView | null {
    const o = this.ordinalOf(query.id);
    if (o < 0) return null;
    const w = this.keys();
    const members = classMembers(this.analysis, w.keys, o, query.by);
    // A hunt's snapshot: its paths skip the hunt's own harness, as its graphs' do; while paused,
    // each member's paths follow its own tier past the frames, as a single object's graph does.
    const pause = query.paused ? (this.pauseView ??= new PauseView(this.analysis)) : null;
    const withFrames = query.paused?.withFrames ?? false;
    const m = mergePaths(this.analysis, members, (t) =>
      pause ? pause.route(t, withFrames) : { distance: this.pathDistance },
    );
    const name = query.by === 'site' ? w.keys.label(w.keys.groupOf(o)) : className(this.analysis, o);
    return { name, targets: m.targets, unreachable: m.unreachable, graph: mergedPathGraph(m, maxNodes) };
  }

  /** The node with snapshot id `id`, or -1: a binary search over the ordinals sorted by id. */
  ordinalOf(id: number): number {
    const ids = this.analysis.snapshot.nodeId;
    const byId = (this.byId ??= ordinalsById(ids));
    // The last of equal ids, as a Map filled in ordinal order would keep.
    let lo = 0;
    let hi = byId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[byId[mid]] <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && ids[byId[lo - 1]] === id ? byId[lo - 1] : -1;
  }

  nodeInfo(id: number): NodeInfo | null {
    const o = this.ordinalOf(id);
    if (o < 0) return null;
    const a = this.analysis;
    return {
      id,
      name: nodeLabel(a, o),
      className: className(a, o),
      selfSize: a.selfSize[o],
      retainedSize: a.retainedSize[o],
      distance: a.distance[o],
    };
  }

  /** The retainer graph of one object ("why is this alive?"), GC roots at the top. */
  retainerGraph(id: number, options: Partial<RetainerGraphOptions> = {}): RetainerGraph | null {
    const o = this.ordinalOf(id);
    if (o < 0) return null;
    const ignored = (options.ignoredIds ?? []).map((x) => this.ordinalOf(x)).filter((x) => x >= 0);
    let route: Partial<PauseRoute> = { distance: this.pathDistance };
    let pause: PauseHold | undefined;
    if (options.excludeStack || options.excludeInspector) {
      // What keeps it alive once the paused frames return and the debugger lets go (issue 9).
      this.pauseView ??= new PauseView(this.analysis);
      if (options.excludeStack) pause = this.pauseView.hold(o);
      route = this.pauseView.route(o, !options.excludeStack);
    }
    const graph = buildRetainerGraph(this.analysis, [o], {
      paths: options.paths ?? DEFAULTS.retainerPaths,
      ignored,
      maxNodes: options.maxNodes ?? DEFAULTS.graphSizeLimit,
      ...route,
      folded: options.folded,
    });
    return pause ? { ...graph, pause } : graph;
  }
}

/** Ordinals sorted by their 32-bit ids: a stable radix sort, two passes of 16 bits, O(n). */
function ordinalsById(ids: Uint32Array): Uint32Array {
  const n = ids.length;
  let from = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Uint32Array(n);
  const start = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    start.fill(0);
    for (let i = 0; i < n; i++) start[((ids[i] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) start[b + 1] += start[b];
    for (let i = 0; i < n; i++) {
      const o = from[i];
      to[start[(ids[o] >>> shift) & 0xffff]++] = o;
    }
    [from, to] = [to, from];
  }
  return from;
}
