// The parse and analysis of a hunt's one snapshot, with the dominator thread ready early, as
// loadAndAnalyze does for a file: on a heap worth the thread, it boots while V8 walks the heap
// (seconds on a big heap, during which this process has nothing to do), and it is given the
// graph as soon as "edges" is read, so it marks and picks the essential edges while the trace
// tree and the strings are still arriving. On the big heap that was most of a second of the
// analysis (docs/v8-facts.md, measured).

import type { HeapSnapshot } from '../core/snapshot';
import type { HeapAnalysis } from '../core/graph/analysis';
import { SnapshotParser } from '../core/parser';
import {
  analyzeParallel,
  bootDominatorThread,
  DominatorThread,
  PARALLEL_MIN_NODES,
  startDominatorThread,
} from '../core/graph/parallel';

export class FinalAnalysis {
  /** Booted, not yet given a graph. */
  private booted: DominatorThread | null = null;
  /** Given the graph of the parse in progress. */
  private given: DominatorThread | null = null;

  /**
   * A parser for one attempt at the snapshot (a speculative one may be dropped, hunt.ts): a
   * dropped attempt's thread is ended. `liveObjects` (from a mark) says whether the heap is
   * worth booting the thread before the snapshot; a small one is analysed without waiting for it.
   */
  parser(liveObjects: number): SnapshotParser {
    void this.given?.terminate();
    this.given = null;
    if (liveObjects >= PARALLEL_MIN_NODES) this.booted ??= bootDominatorThread();
    return new SnapshotParser({
      onGraph: (g) => {
        this.given = startDominatorThread(g, {}, this.booted);
        this.booted = null;
      },
    });
  }

  /** The analysis of the snapshot the last parser read; the thread is ended by it. */
  analyse(snapshot: HeapSnapshot): Promise<HeapAnalysis> {
    const thread = this.given;
    this.given = null;
    return analyzeParallel(snapshot, { thread });
  }

  /** Ends any thread not handed to an analysis (a failed or cancelled hunt). */
  async close(): Promise<void> {
    const threads = [this.booted, this.given];
    this.booted = this.given = null;
    await Promise.all(threads.map((t) => t?.terminate() ?? Promise.resolve()));
  }
}
