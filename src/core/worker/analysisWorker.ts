// The worker thread: parses and analyses one snapshot off the caller's thread, then answers
// queries about it. Cancellation is the caller terminating the thread, which stops the work
// wherever it is.

import { parentPort } from 'node:worker_threads';
import { loadSnapshotFile } from '../load';
import { SnapshotParser } from '../parser';
import { analyzeParallel } from '../graph/parallel';
import { SnapshotSession } from '../session';
import { isSnapshotError } from '../errors';
import { Phase, WorkerMessage, WorkerRequest, WorkerStreamMessage } from './protocol';
import { answerQuery } from './queries';
import { HeapSnapshot } from '../snapshot';

const port = parentPort;
if (!port) throw new Error('analysisWorker must run in a worker thread');

let session: SnapshotSession | null = null;
let stream: { parser: SnapshotParser; total: number; done: (s: HeapSnapshot) => void; fail: (e: unknown) => void } | null = null;

function send(m: WorkerMessage): void {
  port!.postMessage(m);
}

function progress(phase: Phase, done: number, total: number): void {
  send({ type: 'progress', phase, done, total });
}

async function load(req: Extract<WorkerRequest, { type: 'load' }>): Promise<unknown> {
  let snapshot: HeapSnapshot;
  if (req.source.kind === 'file') {
    snapshot = await loadSnapshotFile(req.source.path, { onProgress: (d, t) => progress('reading', d, t) });
  } else {
    const total = req.source.totalBytes ?? 0;
    snapshot = await new Promise<HeapSnapshot>((done, fail) => {
      stream = { parser: new SnapshotParser({ totalBytes: req.source.kind === 'stream' ? req.source.totalBytes : undefined }), total, done, fail };
    });
  }
  const phases: Phase[] = ['retainers', 'flags', 'shallow sizes', 'dominators', 'retained sizes', 'distances'];
  const analysis = await analyzeParallel(snapshot, { onPhase: (p) => progress(p, phases.indexOf(p), phases.length) });
  session = new SnapshotSession(analysis);
  return session.stats();
}

function onStream(m: WorkerStreamMessage): void {
  const s = stream;
  if (!s) return;
  try {
    if (m.type === 'chunk') {
      s.parser.write(m.data);
      progress('reading', s.parser.bytesRead, s.total);
    } else {
      stream = null;
      s.done(s.parser.end());
    }
  } catch (e) {
    stream = null;
    s.fail(e);
  }
}

port.on('message', (m: WorkerRequest | WorkerStreamMessage) => {
  if (m.type === 'chunk' || m.type === 'end') {
    onStream(m);
    return;
  }
  if (m.type === 'abort' || m.type === 'pause' || m.type === 'resume') return;
  const run = async (): Promise<unknown> => {
    if (m.type === 'load') return load(m);
    if (m.type === 'query') return answerQuery(session, m.method, m.args);
    throw new Error('this worker does not run hunts');
  };
  run().then(
    (value) => send({ id: m.id, type: 'result', value }),
    (e: unknown) => send(isSnapshotError(e)
      ? { id: m.id, type: 'error', message: e.message, code: e.code, offset: e.offset }
      : { id: m.id, type: 'error', message: e instanceof Error ? e.message : String(e), code: 'internal' }),
  );
});
