// The analysis worker (src/core/worker/analysisWorker.ts): parses and analyses one snapshot
// off the caller's thread, then answers questions about it. The questions (SnapshotQueries)
// are also answered by the hunt worker about the snapshot its hunt ended with.

import type { ClassSummary } from '../core/classes';
import type { RetainerGraph } from '../core/report';
import type { RetainerGraphOptions } from '../core/retainerGraph';
import type { NodeInfo, SnapshotStats } from '../core/analysedSnapshot';
import type { Suspect } from '../core/workbench/suspects';
import type { DominatorQuery, DominatorRow } from '../core/workbench/dominatorTree';
import type { SummaryRow } from '../core/workbench/summary';
import type { EditorComparison } from '../core/workbench/compare';
import type { Attribution, AttributionKey } from '../core/workbench/attribution';
import type { WasteReport } from '../core/workbench/waste';
import type { MergedPathsQuery, MergedPathsView } from '../core/workbench/mergedGraph';
import type { Call, Result } from './rpc';

/** What the `phase` of an analysis worker's progress can be. */
export type Phase =
  'reading' | 'retainers' | 'flags' | 'shallow sizes' | 'dominators' | 'retained sizes' | 'distances';

/** Questions about the snapshot a worker holds; 'no-snapshot' before there is one. */
export interface SnapshotQueries {
  stats(): Promise<SnapshotStats>;
  summary(top?: number): Promise<ClassSummary[]>;
  nodeInfo(id: number): Promise<NodeInfo | null>;
  retainerGraph(id: number, options?: Partial<RetainerGraphOptions>): Promise<RetainerGraph | null>;
  /** The workbench (src/core/workbench): leak suspects from this snapshot alone. */
  suspects(): Promise<Suspect[]>;
  /** One node of the dominator tree (the root by default) with `depth` levels of children. */
  dominators(query: DominatorQuery): Promise<DominatorRow | null>;
  /** The Summary split by definition site, plain objects by property list. */
  summaryByLocation(top?: number): Promise<SummaryRow[]>;
  /** Reads and analyses another snapshot file of the same process and compares it with this one. */
  compareWith(path: string): Promise<EditorComparison>;
  /** Retained size by package or by file, each byte charged once. */
  attribution(by: AttributionKey): Promise<Attribution>;
  /** Duplicated strings, sliced strings keeping big parents, empty/oversized collections, duplicated arrays. */
  waste(): Promise<WasteReport>;
  /** The shortest paths of every object of one Summary row, merged into one tree, drawn as a graph. */
  mergedPaths(query: MergedPathsQuery, maxNodes?: number): Promise<MergedPathsView | null>;
}

export interface AnalysisApi extends SnapshotQueries {
  /** Reads, parses and analyses a .heapsnapshot file (progress: 'reading' in bytes, then the analysis phases). */
  loadFile(path: string): Promise<SnapshotStats>;
  /** Starts a streamed load: send the chunks with `signal.chunk`, then `signal.end`. */
  loadStream(totalBytes?: number): Promise<SnapshotStats>;
}

export interface AnalysisSignals {
  chunk(data: string | Uint8Array): void;
  end(): void;
}

export type AnalysisCall<K extends keyof AnalysisApi = keyof AnalysisApi> = Call<AnalysisApi, K>;
export type AnalysisResult<K extends keyof AnalysisApi = keyof AnalysisApi> = Result<AnalysisApi, K>;
