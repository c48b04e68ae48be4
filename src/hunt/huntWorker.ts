// The hunt off the caller's thread (the extension host must never block): HuntApi
// (src/contracts/hunt.ts). It runs the hunt pipeline, then keeps the last snapshot to answer
// questions about it (a leak's retainer graph, "ignore this retainer"). The `abort` signal
// stops the hunt through its AbortSignal, so the debuggee is cleaned up and tracking switched
// off before the call fails with 'cancelled'.

import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { HuntApi, HuntSignals } from '../contracts/hunt';
import { RemoteError } from '../contracts/errors';
import { serve } from '../contracts/rpc';
import { DEFAULTS } from '../contracts/defaults';
import { connect } from '../inspector/connect';
import type { CdpClient } from '../inspector/cdp';
import type { SnapshotDigest } from '../core/leaks/digest';
import { AnalysedSnapshot } from '../core/analysedSnapshot';
import { snapshotQueries } from '../core/worker/queries';
import { heapOverview, LiveHunt, whyIsThisAlive } from './liveHunt';
import { huntWireError } from './errors';
import { runHunt, snapshotProgress } from './pipeline';

const port = parentPort;
if (!port) throw new Error('huntWorker must run in a worker thread');

let analysed: AnalysedSnapshot | null = null;
let live: { client: CdpClient; hunt: LiveHunt } | null = null;
/** The previous heap overview's digest, for growth since then. */
let lastOverview: SnapshotDigest | null = null;
let controller: AbortController | null = null;
/** While paused, the promise the next iteration waits on. */
let paused: Promise<void> | null = null;
let resume: (() => void) | null = null;

/** Ends a live hunt: tracking off, connection closed. */
async function closeLive(): Promise<void> {
  const l = live;
  live = null;
  if (!l) return;
  await l.hunt.stop();
  l.client.close();
}

function liveHunt(): { client: CdpClient; hunt: LiveHunt } {
  if (!live) throw new RemoteError('no-live-hunt', 'no live hunt is running');
  return live;
}

const api: HuntApi = {
  ...snapshotQueries(() => analysed),
  async hunt(spec) {
    controller = new AbortController();
    try {
      const run = await runHunt(spec, {
        signal: controller.signal,
        harnessPath: path.join(__dirname, 'harness.js'),
        gate: () => paused ?? Promise.resolve(),
        onProgress: (p) => side.progress(p),
        onOutput: (text) => side.output(text),
      });
      analysed = run.analysed;
      return run.outcome;
    } finally {
      controller = null;
    }
  },
  async liveStart(address, trackAllocations) {
    await closeLive();
    const client = await connect(address);
    live = { client, hunt: new LiveHunt(client, trackAllocations ?? DEFAULTS.trackAllocations) };
    await live.hunt.start();
  },
  async liveSnapshot() {
    return liveHunt().hunt.snapshot();
  },
  async liveFinish() {
    const l = liveHunt();
    const outcome = await l.hunt.finish({ onProgress: (p) => side.progress(snapshotProgress(p)) });
    analysed = l.hunt.analysed;
    await closeLive();
    return outcome;
  },
  async overview(address) {
    const client = await connect(address);
    try {
      const answer = await heapOverview(client, lastOverview);
      analysed = answer.analysed;
      lastOverview = answer.digest;
      return answer.rows;
    } finally {
      client.close();
    }
  },
  async whyIsThisAlive(address, expression, callFrameId, afterResolve) {
    const client = await connect(address);
    try {
      const answer = await whyIsThisAlive(client, expression, callFrameId, afterResolve);
      analysed = answer.analysed;
      return { id: answer.id };
    } finally {
      client.close();
    }
  },
};

const signals: HuntSignals = {
  pause() {
    paused ??= new Promise<void>((r) => {
      resume = r;
    });
  },
  resume() {
    const r = resume;
    paused = null;
    resume = null;
    r?.();
  },
  abort() {
    controller?.abort();
    signals.resume();
    void closeLive();
  },
};

const side = serve(port, api, signals, huntWireError);
