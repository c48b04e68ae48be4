// The runner end to end with real child processes, and every way it can fail: each
// must give its typed error quickly and leave no process behind.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { Debuggee, startDebuggee } from '../../src/inspector';
import {
  FileSink,
  assertGone,
  assertNoChildren,
  countObjects,
  fixture,
  isAlive,
  rejectsWith,
  repoRoot,
  tempDir,
  waitFor,
  withTimeout,
} from './helpers';

async function evalValue(d: Debuggee, expression: string): Promise<unknown> {
  const r = await d.client.send('Runtime.evaluate', { expression, returnByValue: true });
  return r.result.value;
}

describe('runner', () => {
  it('runs setup, warm-up and iterations of a CommonJS scenario; snapshots see the growth', async () => {
    const dir = tempDir('runner');
    const d = await startDebuggee(fixture('leaky.cjs'));
    try {
      assert.ok(isAlive(d.pid));
      await d.runSetup();
      assert.equal(await evalValue(d, 'globalThis.heapLensSetupRan'), true);
      await d.runWarmup(3);
      const base = new FileSink(path.join(dir, 'base.heapsnapshot'));
      await d.takeSnapshot(base);
      for (let i = 0; i < 10; i++) await d.runIteration();
      const grown = new FileSink(path.join(dir, 'grown.heapsnapshot'));
      await d.takeSnapshot(grown);
      assert.equal(countObjects(base.parse(), 'HeapLensLeaky'), 3);
      assert.equal(countObjects(grown.parse(), 'HeapLensLeaky'), 13);
      assert.equal(await evalValue(d, 'globalThis.heapLensBackCount'), 13, '`back` runs after every action');
    } finally {
      await d.dispose();
    }
    assertGone(d.pid);
  });

  it('loads an ESM scenario through import()', async () => {
    const dir = tempDir('runner-esm');
    const d = await startDebuggee(fixture('leaky.mjs'));
    try {
      await d.runSetup(); // no setup export: a no-op
      for (let i = 0; i < 4; i++) await d.runIteration();
      const s = new FileSink(path.join(dir, 'esm.heapsnapshot'));
      await d.takeSnapshot(s);
      assert.equal(countObjects(s.parse(), 'HeapLensEsmLeaky'), 4);
    } finally {
      await d.dispose();
    }
    assertGone(d.pid);
  });

  it('the harness itself does not grow across iterations', async () => {
    // A scenario that allocates nothing: whatever grows would be ours.
    const dir = tempDir('runner-noop');
    const d = await startDebuggee(fixture('leaky.mjs'));
    try {
      await d.runWarmup(5);
      const a = new FileSink(path.join(dir, 'a.heapsnapshot'));
      await d.takeSnapshot(a);
      await d.runWarmup(0); // iterate(0): harness round trip, no action
      // Two rounds of 30 round trips: garbage the harness kept per call would show in both as
      // hundreds of nodes, while V8 making something once (seen once in CI at load 15: +87 nodes
      // in one round, 45 in the usual one) shows in one only.
      const grown: number[] = [];
      let before = a.parse().snapshot.node_count;
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 30; i++)
          await d.client.send('Runtime.evaluate', {
            expression: 'globalThis.__heaplens.iterate(0)',
            awaitPromise: true,
            returnByValue: true,
          });
        const b = new FileSink(path.join(dir, `b${round}.heapsnapshot`));
        await d.takeSnapshot(b);
        const after = b.parse().snapshot.node_count;
        grown.push(after - before);
        before = after;
      }
      assert.ok(
        Math.min(...grown) < 30, // less than one node a call
        `heap grew by ${grown.join(' and ')} nodes over two rounds of 30 empty harness calls`,
      );
      console.log(`# harness growth over two rounds of 30 calls: ${grown.join(', ')} nodes`);
    } finally {
      await d.dispose();
    }
  });

  it('objects passed to console.log do not show up as retained (console entries are discarded)', async () => {
    const dir = tempDir('runner-console');
    const d = await startDebuggee(fixture('logs.cjs'), { onOutput: () => undefined });
    try {
      for (let i = 0; i < 10; i++) await d.runIteration();
      const s = new FileSink(path.join(dir, 'console.heapsnapshot'));
      await d.takeSnapshot(s);
      assert.equal(countObjects(s.parse(), 'HeapLensLogged'), 0);
    } finally {
      await d.dispose();
    }
  });

  it('the harness works bundled by esbuild (as dist/harness.js), ESM scenario included', async () => {
    const harnessPath = path.join(tempDir('harness'), 'harness.js');
    esbuild.buildSync({
      entryPoints: [path.join(repoRoot, 'src/inspector/harness.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: harnessPath,
      logLevel: 'silent',
    });
    const d = await startDebuggee(fixture('leaky.mjs'), { harnessPath });
    try {
      await d.runSetup();
      await d.runIteration();
    } finally {
      await d.dispose();
    }
    assertGone(d.pid);
  });

  it('a `debugger;` statement in the scenario does not pause the debuggee', async () => {
    const d = await startDebuggee(fixture('debugger-statement.cjs'));
    try {
      await withTimeout(d.runIteration(), 5000, 'iteration with a debugger statement');
    } finally {
      await d.dispose();
    }
  });

  it('a scenario without `action` → NOT_A_SCENARIO, no child left', async () => {
    await rejectsWith(
      startDebuggee(fixture('no-action.cjs')),
      'NOT_A_SCENARIO',
      10_000,
      /does not export an `action` function/,
    );
    assertNoChildren();
  });

  it('a scenario that cannot be found → SCENARIO_INVALID', async () => {
    await rejectsWith(
      startDebuggee(fixture('does-not-exist.cjs')),
      'SCENARIO_INVALID',
      10_000,
      /could not load scenario/,
    );
    assertNoChildren();
  });

  it('a scenario that throws → SCENARIO_THREW with its message; the child is killed', async () => {
    const d = await startDebuggee(fixture('throws.cjs'));
    await rejectsWith(d.runIteration(), 'SCENARIO_THREW', 5000, /boom from the scenario/);
    await withTimeout(d.exited, 5000, 'child exit');
    assertGone(d.pid);
  });

  it('the child killed mid-snapshot → DEBUGGEE_EXITED; nothing left running', async () => {
    const d = await startDebuggee(fixture('leaky.cjs'));
    let killed = false;
    const sink = {
      write() {
        if (!killed) {
          killed = true;
          process.kill(d.pid, 'SIGKILL');
        }
      },
    };
    await rejectsWith(d.takeSnapshot(sink), 'DEBUGGEE_EXITED', 5000, /SIGKILL/);
    assert.ok(d.client.isClosed);
    assertGone(d.pid);
    // Every later call fails the same way, at once.
    await rejectsWith(d.runIteration(), 'DEBUGGEE_EXITED', 1000);
  });

  it('a dropped inspector connection → DISCONNECTED; the child is killed', async () => {
    const d = await startDebuggee(fixture('drops-connection.cjs'));
    await rejectsWith(d.runIteration(), 'DISCONNECTED', 5000);
    await withTimeout(d.exited, 5000, 'child exit');
    assertGone(d.pid);
  });

  it('an iteration that never finishes → TIMEOUT; the child is killed', async () => {
    const d = await startDebuggee(fixture('hangs.cjs'), { iterationTimeoutMs: 300 });
    await rejectsWith(d.runIteration(), 'TIMEOUT', 3000, /did not finish within 300 ms/);
    await withTimeout(d.exited, 5000, 'child exit');
    assertGone(d.pid);
  });

  it('cancelling through the AbortSignal kills the child and rejects with CANCELLED', async () => {
    const ac = new AbortController();
    const d = await startDebuggee(fixture('leaky.cjs'), { signal: ac.signal });
    const p = d.takeSnapshot({
      write: () => ac.abort(),
    });
    await rejectsWith(p, 'CANCELLED', 5000);
    await withTimeout(d.exited, 5000, 'child exit');
    assertGone(d.pid);
  });

  it('an already-aborted signal or a bad node binary fails fast', async () => {
    await rejectsWith(
      startDebuggee(fixture('leaky.cjs'), { signal: AbortSignal.abort() }),
      'CANCELLED',
      1000,
    );
    await rejectsWith(
      startDebuggee(fixture('leaky.cjs'), { nodePath: '/nonexistent/node' }),
      'SPAWN_FAILED',
      5000,
    );
    assertNoChildren();
  });

  it('a crash while loading (bad node flag) → a clear error with stderr', async () => {
    await rejectsWith(
      startDebuggee(fixture('leaky.cjs'), { execArgv: ['--no-such-flag-heaplens'] }),
      'DEBUGGEE_EXITED',
      10_000,
      /no-such-flag/,
    );
    assertNoChildren();
  });

  it('the debuggee dies with its parent even when the parent is SIGKILLed (no dispose)', async () => {
    const dir = tempDir('orphan');
    const parentScript = path.join(dir, 'parent.js');
    fs.writeFileSync(
      parentScript,
      `const { startDebuggee } = require(${JSON.stringify(path.join(repoRoot, 'out/src/inspector'))});
       startDebuggee(${JSON.stringify(fixture('leaky.cjs'))}).then((d) => console.log('PID ' + d.pid));
       setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    const pid = Number((await waitFor(() => /PID (\d+)/.exec(out) ?? undefined, 10_000, 'debuggee pid'))[1]);
    assert.ok(isAlive(pid));
    parent.kill('SIGKILL');
    await waitFor(() => (isAlive(pid) ? undefined : true), 5000, 'the orphaned debuggee to exit');
  });
});
