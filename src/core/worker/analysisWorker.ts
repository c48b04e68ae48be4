// The worker thread: parses and analyses one snapshot off the caller's thread, then answers
// queries about it (AnalysisApi, src/contracts/analysis.ts). Cancellation is the caller
// terminating the thread, which stops the work wherever it is.

import { parentPort } from 'node:worker_threads';
import type { AnalysisApi, AnalysisSignals, Phase } from '../../contracts/analysis';
import { wireError, WireError } from '../../contracts/errors';
import { serve } from '../../contracts/rpc';
import { SnapshotParser } from '../parser';
import { analyzeParallel, DominatorThread, loadAndAnalyze, startDominatorThread } from '../graph/parallel';
import { AnalysedSnapshot } from '../analysedSnapshot';
import { isSnapshotError } from '../errors';
import { HeapSnapshot } from '../snapshot';
import type { ParsedGraph } from '../parse/build';
import { snapshotQueries } from './queries';

const port = parentPort;
if (!port) throw new Error('analysisWorker must run in a worker thread');

let analysed: AnalysedSnapshot | null = null;
let stream: {
  parser: SnapshotParser;
  total: number;
  done: (s: HeapSnapshot) => void;
  fail: (e: unknown) => void;
} | null = null;

const PHASES: Phase[] = ['retainers', 'flags', 'shallow sizes', 'dominators', 'retained sizes', 'distances'];

const onPhase = (p: Phase): void => progress(p, PHASES.indexOf(p), PHASES.length);

const api: AnalysisApi = {
  ...snapshotQueries(() => analysed),
  async loadFile(path) {
    const analysis = await loadAndAnalyze(path, { onProgress: (d, t) => progress('reading', d, t), onPhase });
    analysed = new AnalysedSnapshot(analysis);
    return analysed.stats();
  },
  async loadStream(totalBytes) {
    // The dominator thread starts once "edges" is in, while the strings still stream.
    let thread: DominatorThread | null = null;
    try {
      const onGraph = (g: ParsedGraph): void => void (thread = startDominatorThread(g));
      const snapshot = await new Promise<HeapSnapshot>((done, fail) => {
        stream = { parser: new SnapshotParser({ totalBytes, onGraph }), total: totalBytes ?? 0, done, fail };
      });
      analysed = new AnalysedSnapshot(await analyzeParallel(snapshot, { onPhase, thread }));
      return analysed.stats();
    } finally {
      await (thread as DominatorThread | null)?.terminate();
    }
  },
};

function onStream(step: (s: NonNullable<typeof stream>) => void): void {
  const s = stream;
  if (!s) return;
  try {
    step(s);
  } catch (e) {
    stream = null;
    s.fail(e);
  }
}

const signals: AnalysisSignals = {
  chunk: (data) =>
    onStream((s) => {
      s.parser.write(data);
      progress('reading', s.parser.bytesRead, s.total);
    }),
  end: () =>
    onStream((s) => {
      stream = null;
      s.done(s.parser.end());
    }),
};

function toWire(e: unknown): WireError {
  if (isSnapshotError(e)) return { code: e.code, message: e.message, offset: e.offset };
  return wireError(e);
}

const side = serve(port, api, signals, toWire);

function progress(phase: Phase, done: number, total: number): void {
  side.progress({ phase, done, total });
}
