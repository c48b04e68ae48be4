// A live hunt turns V8's compaction off in the program it hunts in (v8.setFlagsFromString: a
// process-wide flag that outlives our session; src/hunt/liveHunt.ts, docs/v8-facts.md). However
// the hunt ends, the program must get it back on. Seen from outside, on a real process: with
// --trace-fragmentation, V8 prints "compaction-selection" at a full GC only while compaction is on.
// Driven through the hunt worker, as the extension does.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { connect, disconnect } from '../../src/inspector';
import { startHuntWorker, HuntWorker } from '../../src/hunt/client';
import { isCancelled } from '../../src/contracts/errors';
import { fixture, Inspectable, repoRoot, spawnInspectable, tcpRelay } from './helpers';

const HUNT_WORKER = path.join(repoRoot, 'dist', 'huntWorker.js');

describe('a live hunt leaves compaction on in the program, however it ends', () => {
  let p: Inspectable;
  let runs = 0;
  before(async () => {
    p = await spawnInspectable(fixture('busy-heap.cjs'), 10_000, ['--trace-fragmentation', '--expose-gc']);
    await p.stdoutMatch(/ready/, 30_000);
  });
  after(() => p.kill());

  /** Evaluated in the program from a session of the test's own. */
  async function inProgram(expression: string): Promise<void> {
    const c = await connect(p.wsUrl);
    try {
      await c.call('Runtime.evaluate', { expression, includeCommandLineAPI: true }, { timeoutMs: 60_000 });
    } finally {
      await disconnect(c);
    }
  }

  /** Whether a full GC in the program now considers compaction (its trace says so between two markers). */
  async function compacts(): Promise<boolean> {
    const mark = `heaplens-gc-${++runs}`;
    await inProgram(`console.log('${mark}'); gc(); console.log('${mark}.')`);
    const between = await p.stdoutMatch(new RegExp(`${mark}\\n([\\s\\S]*?)${mark}\\.\\n`), 5000);
    return /compaction-selection/.test(between[1]);
  }

  // Each ending on its own: whatever one left behind, the next starts with compaction on.
  afterEach(() => inProgram(`require('v8').setFlagsFromString('--compact')`));

  /** Runs `ending` with `worker`, ends the worker as the extension does, then checks compaction is on. */
  async function leavesCompactionOn(worker: HuntWorker, ending: () => Promise<void>): Promise<void> {
    try {
      await ending();
    } finally {
      await worker.dispose();
    }
    assert.equal(await compacts(), true);
  }

  it('finished: off during the hunt (the check tells the two apart), on after', async () => {
    assert.equal(await compacts(), true, 'on before the hunt');
    const worker = startHuntWorker(HUNT_WORKER);
    try {
      await worker.api.liveStart({ url: p.wsUrl });
      assert.equal(await compacts(), false, 'off while the hunt runs');
      await worker.api.liveSnapshot();
      await worker.api.liveSnapshot();
      await worker.api.liveFinish();
      assert.equal(await compacts(), true, 'on after the analysis');
    } finally {
      await worker.dispose();
    }
  });

  it('cancelled while V8 writes its snapshot, the worker ended at once (as the extension stops it)', async () => {
    let aborted = false;
    const worker: HuntWorker = startHuntWorker(HUNT_WORKER, (pr) => {
      if (/writing/.test(pr.message ?? '') && !aborted) {
        aborted = true;
        worker.signal.abort();
      }
    });
    await leavesCompactionOn(worker, async () => {
      await worker.api.liveStart({ url: p.wsUrl });
      await worker.api.liveSnapshot();
      await worker.api.liveSnapshot();
      await assert.rejects(worker.api.liveFinish(), (e) => isCancelled(e));
      assert.ok(aborted, 'the snapshot came through the pipe (its writing was reported)');
    });
  });

  it('cancelled while it starts', async () => {
    const worker = startHuntWorker(HUNT_WORKER);
    await leavesCompactionOn(worker, async () => {
      const starting = worker.api.liveStart({ url: p.wsUrl });
      // Connected by then; the start mark waits for a heap-stats push, most of a second here.
      setTimeout(() => worker.signal.abort(), 300);
      await assert.rejects(starting, (e) => isCancelled(e));
    });
  });

  it('cancelled at once, before it has connected', async () => {
    const worker = startHuntWorker(HUNT_WORKER);
    await leavesCompactionOn(worker, async () => {
      // The abort reaches the worker right after the call: before, it was lost there (nothing
      // was cancellable until the start mark) and the hunt started anyway.
      const starting = worker.api.liveStart({ url: p.wsUrl });
      worker.signal.abort();
      await assert.rejects(starting, (e) => isCancelled(e));
    });
  });

  it('the worker ended between two marks, with no cancel first', async () => {
    const worker = startHuntWorker(HUNT_WORKER);
    await leavesCompactionOn(worker, async () => {
      await worker.api.liveStart({ url: p.wsUrl });
      await worker.api.liveSnapshot();
    });
  });

  it('its connection dropped in the middle: a new session turns it back on', async () => {
    const relay = await tcpRelay(p.port);
    const worker = startHuntWorker(HUNT_WORKER);
    try {
      await worker.api.liveStart({ host: '127.0.0.1', port: relay.port });
      assert.equal(await compacts(), false, 'off while the hunt runs');
      relay.cut();
      await assert.rejects(worker.api.liveSnapshot());
      // The new session is made when the worker sees the drop; give it a moment.
      const deadline = Date.now() + 10_000;
      while (!(await compacts()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.equal(await compacts(), true);
    } finally {
      await worker.dispose();
      relay.close();
    }
  });
});
