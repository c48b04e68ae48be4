// The questions a worker answers about the snapshot it holds, shared by the analysis worker
// and the hunt worker.

import type { SnapshotQueries } from '../../contracts/analysis';
import { RemoteError } from '../../contracts/errors';
import { AnalysedSnapshot } from '../analysedSnapshot';
import { loadSnapshotFile } from '../load';
import { analyzeParallel } from '../graph/parallel';

/** SnapshotQueries over whatever snapshot `current()` returns at the time of the call. */
export function snapshotQueries(current: () => AnalysedSnapshot | null): SnapshotQueries {
  const analysed = (): AnalysedSnapshot => {
    const s = current();
    if (!s) throw new RemoteError('no-snapshot', 'no snapshot is loaded');
    return s;
  };
  return {
    stats: async () => analysed().stats(),
    summary: async (top) => analysed().summary(top),
    nodeInfo: async (id) => analysed().nodeInfo(id),
    retainerGraph: async (id, options) => analysed().retainerGraph(id, options ?? {}),
    suspects: async () => analysed().suspects(),
    dominators: async (query) => analysed().dominators(query),
    summaryByLocation: async (top) => analysed().summaryByLocation(top),
    attribution: async (by) => analysed().attribution(by),
    waste: async () => analysed().waste(),
    mergedPaths: async (query, maxNodes) => analysed().mergedPaths(query, maxNodes),
    // The other snapshot lives only for the comparison: both heaps are in memory meanwhile.
    compareWith: async (path) => analysed().compareWith(await analyzeParallel(await loadSnapshotFile(path))),
  };
}
