// Attach mode against a process we did not start: the unit of work is an expression
// or an HTTP GET, and dispose() must leave the process running, untracked, unpaused.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attach, connect, disconnect, takeSnapshot } from '../../src/inspector';
import {
  FileSink,
  Inspectable,
  countObjects,
  fixture,
  isAlive,
  rejectsWith,
  spawnInspectable,
  tempDir,
  waitFor,
} from './helpers';
import { hunt } from '../../src/hunt/hunt';

describe('attach mode', () => {
  let target: Inspectable;
  let httpPort: number;
  let dir: string;
  before(async () => {
    dir = tempDir('attach');
    target = await spawnInspectable(fixture('server.cjs'));
    httpPort = Number((await target.stdoutMatch(/HTTP (\d+)/))[1]);
  });
  after(async () => {
    await target.kill();
  });

  async function counts(): Promise<{ requests: number; calls: number }> {
    const c = await connect(target.wsUrl);
    try {
      const r = await c.send('Runtime.evaluate', { expression: 'heapLensCount()', returnByValue: true });
      return r.result.value as { requests: number; calls: number };
    } finally {
      await disconnect(c);
    }
  }

  it('repeats an expression as the unit of work, and leaves the process as it found it', async () => {
    const before = await counts();
    const t = await attach(
      { host: '127.0.0.1', port: target.port },
      { kind: 'evaluate', expression: 'heapLensWork()' },
    );
    await t.runSetup();
    await t.runWarmup(2);
    await t.startTracking();
    for (let i = 0; i < 3; i++) await t.runIteration();
    const s = new FileSink(path.join(dir, 'eval.heapsnapshot'));
    await t.takeSnapshot(s);
    await t.dispose();
    const snap = s.parse();
    assert.equal(countObjects(snap, 'HeapLensCallLeak'), before.calls + 5);
    assert.ok(snap.trace_function_infos.length > 0);
    assert.ok(isAlive(target.pid), 'attach mode must never kill the process');
    assert.ok(t.client.isClosed);
    // Tracking is off and the process answers (is not paused).
    const c = await connect(target.wsUrl);
    try {
      const after = new FileSink(path.join(dir, 'after.heapsnapshot'));
      await takeSnapshot(c, after);
      assert.deepEqual(after.parse().trace_function_infos, []);
    } finally {
      await disconnect(c);
    }
  });

  it('repeats an HTTP GET as the unit of work', async () => {
    const before = await counts();
    const t = await attach(target.wsUrl, { kind: 'http', url: `http://127.0.0.1:${httpPort}/leak` });
    try {
      for (let i = 0; i < 4; i++) await t.runIteration();
    } finally {
      await t.dispose();
    }
    assert.equal((await counts()).requests, before.requests + 4);
  });

  it('an HTTP 5xx fails the iteration with HTTP_FAILED, and tracking is off afterwards', async () => {
    const t = await attach(target.wsUrl, { kind: 'http', url: `http://127.0.0.1:${httpPort}/fail` });
    await t.startTracking();
    // The bound includes dispose's stop-tracking snapshot (slow only on an overloaded machine).
    await rejectsWith(t.runIteration(), 'HTTP_FAILED', 10_000, /HTTP 500/);
    assert.ok(t.client.isClosed);
    assert.ok(isAlive(target.pid));
    const c = await connect(target.wsUrl);
    try {
      const s = new FileSink(path.join(dir, 'after-error.heapsnapshot'));
      await takeSnapshot(c, s);
      assert.deepEqual(s.parse().trace_function_infos, [], 'tracking left on after the error path');
    } finally {
      await disconnect(c);
    }
  });

  it('an expression that throws → SCENARIO_THREW; the process keeps running', async () => {
    const t = await attach(target.wsUrl, {
      kind: 'evaluate',
      expression: 'Promise.reject(new Error("no luck"))',
    });
    await rejectsWith(t.runIteration(), 'SCENARIO_THREW', 3000, /no luck/);
    assert.ok(isAlive(target.pid));
  });

  it('refuses a non-loopback HTTP URL, and a closed inspector port fails fast', async () => {
    await rejectsWith(attach(target.wsUrl, { kind: 'http', url: 'http://10.0.0.1/' }), 'NOT_LOOPBACK', 1000);
    await rejectsWith(
      attach({ host: '127.0.0.1', port: 1 }, { kind: 'evaluate', expression: '1' }),
      'CONNECT_FAILED',
      3000,
    );
  });

  it('a process that ends mid-hunt: DEBUGGEE_EXITED within seconds, and it exits with its own code', async () => {
    // Node keeps an ending process open while our session lasts; without the watch the hunt
    // waited for a heap-stats push that never comes, and the process with it.
    const own = await spawnInspectable(fixture('exits-after.cjs'));
    try {
      await own.stdoutMatch(/ready/, 30_000);
      const t = await attach(own.wsUrl, { kind: 'evaluate', expression: 'work()' });
      await rejectsWith(
        hunt(t, { iterations: 8, warmup: 0 }),
        'DEBUGGEE_EXITED',
        15_000,
        /process is exiting/,
      );
      await t.dispose();
      await waitFor(() => own.child.exitCode ?? undefined, 10_000, 'the process to exit');
      assert.equal(own.child.exitCode, 3);
    } finally {
      await own.kill();
    }
  });
});
