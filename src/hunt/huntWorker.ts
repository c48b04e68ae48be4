// The hunt off the caller's thread (the extension host must never block): HuntApi
// (src/contracts/hunt.ts). It runs the hunt pipeline, then keeps the last snapshot to answer
// questions about it (a leak's retainer graph, "ignore this retainer"). The `abort` signal
// stops the hunt through its AbortSignal, so the debuggee is cleaned up and tracking switched
// off before the call fails with 'cancelled'.

import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { HuntApi, HuntOutcome, HuntSignals } from '../contracts/hunt';
import { isCancelled, RemoteError } from '../contracts/errors';
import { serve } from '../contracts/rpc';
import { DEFAULTS } from '../contracts/defaults';
import { connect, disconnect } from '../inspector/connect';
import type { CdpClient } from '../inspector/cdp';
import { isInspectorError } from '../inspector/errors';
import type { SnapshotDigest } from '../core/leaks/digest';
import { AnalysedSnapshot } from '../core/analysedSnapshot';
import { snapshotQueries } from '../core/worker/queries';
import { heapOverview, LiveHunt, whyIsThisAlive } from './liveHunt';
import { huntWireError } from './errors';
import { runHunt, snapshotProgress } from './pipeline';

const port = parentPort;
if (!port) throw new Error('huntWorker must run in a worker thread');

let analysed: AnalysedSnapshot | null = null;
interface Live {
  client: CdpClient;
  hunt: LiveHunt;
  /** The analysis in progress (liveFinish). */
  finishing?: Promise<HuntOutcome>;
}
let live: Live | null = null;
/** The previous heap overview's digest, for growth since then. */
let lastOverview: SnapshotDigest | null = null;
let controller: AbortController | null = null;
/** While paused, the promise the next iteration waits on. */
let paused: Promise<void> | null = null;
let resume: (() => void) | null = null;

/** The live hunt being ended, so a second caller (stop after abort) waits for the same. */
let closing: Promise<void> = Promise.resolve();

/** Ends a live hunt: tracking off, compaction on, connection closed once quiet (the program lives on: connect.ts disconnect). */
function closeLive(): Promise<void> {
  const l = live;
  live = null;
  if (!l) return closing;
  closing = (async () => {
    // A cancelled analysis settles at once, having sent what turns compaction back on.
    await l.finishing?.catch(() => undefined);
    await l.hunt.stop();
    await disconnect(l.client);
  })();
  return closing;
}

/** One call the caller's Cancel (the `abort` signal) can stop. */
async function cancellable<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const c = new AbortController();
  controller = c;
  try {
    return await call(c.signal);
  } catch (e) {
    // Cancelled: a step without the signal may fail first because the abort closed the socket.
    if (c.signal.aborted && !isCancelled(e) && !isInspectorError(e, 'CANCELLED'))
      throw new RemoteError('cancelled', 'cancelled');
    throw e;
  } finally {
    if (controller === c) controller = null;
  }
}

function liveHunt(): Live {
  if (!live) throw new RemoteError('no-live-hunt', 'no live hunt is running');
  return live;
}

const api: HuntApi = {
  ...snapshotQueries(() => analysed),
  async hunt(spec) {
    return cancellable(async (signal) => {
      const run = await runHunt(spec, {
        signal,
        harnessPath: path.join(__dirname, 'harness.js'),
        gate: () => paused ?? Promise.resolve(),
        onProgress: (p) => side.progress(p),
        onOutput: (text) => side.output(text),
      });
      analysed = run.analysed;
      return run.outcome;
    });
  },
  liveStart(address, trackAllocations) {
    // Cancellable from its first step: the abort signal only reaches the call in flight, and a
    // Cancel while the previous hunt was let go or while we connected was lost (the start went
    // on to the end: every time with the abort sent right after the call, test/inspector/
    // liveCompaction.test.ts).
    return cancellable(async (signal) => {
      await closeLive();
      const client = await connect(address, { signal });
      if (signal.aborted) {
        await disconnect(client);
        throw new RemoteError('cancelled', 'cancelled');
      }
      const track = trackAllocations ?? DEFAULTS.trackAllocations;
      // A new session turns compaction back on if this one drops in the middle of the hunt.
      const l: Live = { client, hunt: new LiveHunt(client, track, () => connect(address)) };
      live = l;
      await l.hunt.start(signal);
    });
  },
  async liveSnapshot() {
    const l = liveHunt();
    return cancellable((signal) => l.hunt.snapshot(signal));
  },
  async liveFinish() {
    const l = liveHunt();
    try {
      const outcome = await cancellable((signal) => {
        l.finishing = l.hunt.finish({ signal, onProgress: (p) => side.progress(snapshotProgress(p)) });
        return l.finishing;
      });
      analysed = l.hunt.analysed;
      return outcome;
    } finally {
      // Once the snapshot was attempted the marks are spent (tracking ended with it); refused
      // before it (too few marks), the hunt goes on.
      if (live === l && !l.hunt.tracking) await closeLive();
    }
  },
  async stop() {
    signals.abort();
    await closeLive();
  },
  async overview(address) {
    const client = await connect(address);
    try {
      const answer = await heapOverview(client, lastOverview);
      analysed = answer.analysed;
      lastOverview = answer.digest;
      return answer.rows;
    } finally {
      await disconnect(client);
    }
  },
  async whyIsThisAlive(address, expression, callFrameId, afterResolve) {
    const client = await connect(address);
    try {
      const answer = await whyIsThisAlive(client, expression, callFrameId, afterResolve);
      analysed = answer.analysed;
      return { id: answer.id };
    } finally {
      await disconnect(client);
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
