// The hunt off the caller's thread (the extension host must never block): starts the
// debuggee, hunts, builds the report, then keeps the last snapshot to answer questions about
// it (a leak's retainer graph, "ignore this retainer"). `abort` stops the hunt through its
// signal, so the debuggee is killed and tracking switched off before the request fails.

import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { startDebuggee } from '../inspector/runner';
import { attach } from '../inspector/attach';
import { connect } from '../inspector/connect';
import type { CdpClient } from '../inspector/cdp';
import { heapOverview, LiveHunt, whyIsThisAlive } from './liveHunt';
import type { SnapshotDigest } from '../core/leaks/digest';
import type { HuntTarget } from '../inspector/session';
import { isInspectorError } from '../inspector/errors';
import { hunt } from './hunt';
import { SiteResolver } from './sites';
import { buildLeakReport } from './report';
import { SnapshotSession } from '../core/session';
import { answerQuery } from '../core/worker/queries';
import { HuntSpec, WorkerMessage, WorkerRequest, WorkerStreamMessage } from '../core/worker/protocol';
import type { HuntOutcome } from '../core/worker/client';

const port = parentPort;
if (!port) throw new Error('huntWorker must run in a worker thread');

let session: SnapshotSession | null = null;
let live: { client: CdpClient; hunt: LiveHunt } | null = null;
/** The previous heap overview's digest, for growth since then. */
let lastOverview: SnapshotDigest | null = null;

/** Ends a live hunt: tracking off, connection closed. */
async function closeLive(): Promise<void> {
  const l = live;
  live = null;
  if (!l) return;
  await l.hunt.stop();
  l.client.close();
}
let controller: AbortController | null = null;
/** While paused, the promise the next iteration waits on. */
let paused: Promise<void> | null = null;
let resume: (() => void) | null = null;

function send(m: WorkerMessage): void {
  port!.postMessage(m);
}

async function runHunt(spec: HuntSpec): Promise<HuntOutcome> {
  controller = new AbortController();
  const signal = controller.signal;
  const harness = path.join(__dirname, 'harness.js');
  const target: HuntTarget = spec.attach
    ? await attach({ host: spec.attach.host, port: spec.attach.port }, spec.attach.work, { signal })
    : await startDebuggee(spec.scenario ?? '', {
      signal, nodePath: spec.nodePath, cwd: spec.cwd, harnessPath: harness,
      env: spec.env ? { ...process.env, ...spec.env } : undefined,
      execArgv: ['--no-turbo-inlining'],
      onOutput: (_stream, text) => send({ type: 'output', text }),
    });
  try {
    const result = await hunt(target, {
      iterations: spec.iterations, trackAllocations: spec.trackAllocations, signal,
      gate: () => paused ?? Promise.resolve(),
      onProgress: (p) => send({
        type: 'progress', phase: 'hunt', done: p.iteration ?? 0, total: p.iterations,
        message: p.step === 'iteration' ? `iteration ${p.iteration} of ${p.iterations}` : p.step,
      }),
    });
    const report = await buildLeakReport(result, new SiteResolver(target.scripts, [harness]));
    session = new SnapshotSession(result.analysis, result.distance);
    const targets = result.leaks.slice(0, report.leaks.length).map((g) => result.analysis.snapshot.nodeId[g.members[0]]);
    return { report, targets };
  } finally {
    controller = null;
    await target.dispose();
  }
}

port.on('message', (m: WorkerRequest | WorkerStreamMessage) => {
  if (m.type === 'abort') {
    controller?.abort();
    resume?.();
    void closeLive();
    return;
  }
  if (m.type === 'pause') {
    paused ??= new Promise<void>((r) => { resume = r; });
    return;
  }
  if (m.type === 'resume') {
    const r = resume;
    paused = null;
    resume = null;
    r?.();
    return;
  }
  if (m.type === 'chunk' || m.type === 'end') return;
  const run = async (): Promise<unknown> => {
    if (m.type === 'hunt') return runHunt(m.spec);
    if (m.type === 'liveStart') {
      await closeLive();
      const client = await connect(m.address);
      live = { client, hunt: new LiveHunt(client, m.trackAllocations) };
      await live.hunt.start();
      return null;
    }
    if (m.type === 'liveSnapshot') {
      if (!live) throw new Error('no live hunt is running');
      return live.hunt.snapshot();
    }
    if (m.type === 'liveFinish') {
      if (!live) throw new Error('no live hunt is running');
      const outcome = await live.hunt.finish();
      session = live.hunt.session;
      await closeLive();
      return outcome;
    }
    if (m.type === 'overview') {
      const client = await connect(m.address);
      try {
        const answer = await heapOverview(client, lastOverview);
        session = answer.session;
        lastOverview = answer.digest;
        return answer.rows;
      } finally {
        client.close();
      }
    }
    if (m.type === 'why') {
      const client = await connect(m.address);
      try {
        const answer = await whyIsThisAlive(client, m.expression, m.callFrameId, m.afterResolve);
        session = answer.session;
        return { id: answer.id };
      } finally {
        client.close();
      }
    }
    if (m.type === 'query') return answerQuery(session, m.method, m.args);
    throw new Error('this worker runs hunts; load snapshots with the analysis worker');
  };
  run().then(
    (value) => send({ id: m.id, type: 'result', value }),
    (e: unknown) => send({ id: m.id, type: 'error', message: isInspectorError(e) || e instanceof Error ? e.message : String(e), code: 'internal' }),
  );
});
