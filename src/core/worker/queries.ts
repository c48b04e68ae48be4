// The questions a worker answers about the snapshot it holds, shared by the analysis worker
// and the hunt worker.

import type { SnapshotQueries } from '../../contracts/analysis';
import { RemoteError } from '../../contracts/errors';
import { SnapshotSession } from '../session';
import { loadSnapshotFile } from '../load';
import { analyzeParallel } from '../graph/parallel';

/** SnapshotQueries over whatever snapshot `current()` returns at the time of the call. */
export function snapshotQueries(current: () => SnapshotSession | null): SnapshotQueries {
  const session = (): SnapshotSession => {
    const s = current();
    if (!s) throw new RemoteError('no-snapshot', 'no snapshot is loaded');
    return s;
  };
  return {
    stats: async () => session().stats(),
    summary: async (top) => session().summary(top),
    nodeInfo: async (id) => session().nodeInfo(id),
    retainerGraph: async (id, options) => session().retainerGraph(id, options ?? {}),
    suspects: async () => session().suspects(),
    dominators: async (query) => session().dominators(query),
    summaryByLocation: async (top) => session().summaryByLocation(top),
    // The other snapshot lives only for the comparison: both heaps are in memory meanwhile.
    compareWith: async (path) => session().compareWith(await analyzeParallel(await loadSnapshotFile(path))),
  };
}
