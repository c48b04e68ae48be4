// Cancel during the hunt's snapshot of a process we attached to, on a real `node --inspect`
// process: V8 stops writing once our end of the pipe is closed (it cannot be stopped while it
// walks the heap, nor over CDP), the hunt lets go at once, and the process runs on with object
// tracking off (checked by its CPU time: while tracked, V8 walks the heap back to back). And
// however a hunt ends, the process lives on: Node 20 can crash with SIGSEGV when its inspector
// sends while it reads the end of our socket (docs/v8-facts.md), so we close only once quiet.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attach, connect, disconnect } from '../../src/inspector';
import { QUIET_CLOSE_MS, type CdpClient } from '../../src/inspector/cdp';
import { pipeSnapshot, writeHeapSnapshotInto } from '../../src/inspector/pipeSnapshot';
import { hunt, HuntProgress } from '../../src/hunt/hunt';
import { startHuntWorker, HuntWorker } from '../../src/hunt/client';
import { isCancelled, isRemoteError } from '../../src/contracts/errors';
import { fixture, Inspectable, repoRoot, spawnInspectable, waitFor } from './helpers';

/** CPU seconds the process used over `ms` (Linux: utime + stime in /proc/<pid>/stat). */
async function cpuSecondsOver(pid: number, ms: number): Promise<number> {
  const ticks = (): number => {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(after[11]) + Number(after[12]);
  };
  const a = ticks();
  await new Promise((r) => setTimeout(r, ms));
  return (ticks() - a) / 100;
}

async function evaluate(client: CdpClient, expression: string): Promise<unknown> {
  const r = await client.call('Runtime.evaluate', { expression, returnByValue: true }, { timeoutMs: 60_000 });
  return r.result.value;
}

/** CPU use of an idle program, and of the same program while V8 tracks its objects (the check's two sides). */
const IDLE_CPU_S = 0.15;

const HUNT_WORKER = path.join(repoRoot, 'dist', 'huntWorker.js');

describe('cancel', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let p: Inspectable;
  before(async () => {
    p = await spawnInspectable(fixture('busy-heap.cjs'));
    await p.stdoutMatch(/ready/, 30_000);
  });
  after(() => p.kill());

  /**
   * After a cancel: let go within the let-go's own bound, the process answers a new session, its
   * timer ticks, and V8 no longer walks its heap. The bound is disconnect()'s (QUIET_CLOSE_MS), plus
   * 1 s for our side: letting go waits for V8's answers to what was sent (closing before them can
   * crash the process, docs/v8-facts.md), behind the heap-stats push in progress and the freeing
   * of the allocation tracker, which is the debuggee's CPU work (0.3-2 s at load ~8), so its wall
   * time grows with the machine's load: 2.2 and 3.3 s under 3 CPU hogs, where the test's 2 s bound
   * failed. What "at once" rules out is waiting for the rest of the hunt (its snapshot, its
   * iterations: tens of seconds), which this still does.
   */
  async function assertLetGo(letGoMs: number): Promise<void> {
    assert.ok(letGoMs < QUIET_CLOSE_MS + 1000, `the hunt let go ${letGoMs} ms after the cancel`);
    const c = await connect(p.wsUrl);
    try {
      const t1 = (await evaluate(c, 'heapLensTicks')) as number;
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(((await evaluate(c, 'heapLensTicks')) as number) > t1, 'its timer ticks');
    } finally {
      await disconnect(c);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const cpu = await cpuSecondsOver(p.pid, 2000);
    assert.ok(cpu < IDLE_CPU_S, `${cpu} CPU s in 2 s: V8 still walks the heap (tracking on?)`);
    console.log(`# let go ${letGoMs} ms after the cancel; then ${cpu} CPU s in 2 s`);
  }

  it('the CPU check tells tracked from untracked (the control for the checks below)', async () => {
    const c = await connect(p.wsUrl);
    try {
      await c.call('HeapProfiler.enable', undefined);
      await c.call('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false });
      const tracked = await cpuSecondsOver(p.pid, 2000);
      // Not close(): with heap-stats pushes streaming, a close at once killed this shared
      // process now and then (SIGSEGV: docs/v8-facts.md), and every test after it failed.
      await disconnect(c);
      await new Promise((r) => setTimeout(r, 1500));
      const untracked = await cpuSecondsOver(p.pid, 2000);
      assert.ok(tracked > IDLE_CPU_S, `tracked: ${tracked} CPU s in 2 s`);
      assert.ok(untracked < IDLE_CPU_S, `after the session closed: ${untracked} CPU s in 2 s`);
      console.log(`# CPU over 2 s: ${tracked} s tracked, ${untracked} s after`);
    } finally {
      c.close();
    }
  });

  it('closing our end of the pipe makes V8 stop writing: the write fails with EPIPE, midway', async () => {
    // A process of its own: once in CI the debuggee was gone after this test (its end is not
    // what the test checks), and every later test here failed to connect to it.
    const own = await spawnInspectable(fixture('busy-heap.cjs'));
    await own.stdoutMatch(/ready/, 30_000);
    const c = await connect(own.wsUrl);
    try {
      // The product's write, wrapped to keep its outcome where this test can read it afterwards.
      const plain = writeHeapSnapshotInto(false, true);
      const writer = {
        ...plain,
        expression: (pipe: Parameters<typeof plain.expression>[0]) =>
          `(() => { const t0 = Date.now(); try { globalThis.heapLensWrite = { result: ${plain.expression(pipe)} }; } ` +
          `catch (e) { globalThis.heapLensWrite = { code: e.code, message: e.message }; } ` +
          `globalThis.heapLensWrite.ms = Date.now() - t0; return globalThis.heapLensWrite.result === true; })()`,
      };
      // A whole one first, for its size and the time V8 takes.
      let whole = 0;
      const full = await pipeSnapshot(c, { write: (b) => void (whole += b.length) }, {}, writer);
      assert.equal(full?.written, true, 'the probe sees the pipe: same machine, same user');
      const fullMs = (await evaluate(c, 'heapLensWrite.ms')) as number;
      const stop = new AbortController();
      let received = 0;
      const cancelled = pipeSnapshot(
        c,
        {
          write: (b) => {
            received += b.length;
            stop.abort();
          },
        },
        { signal: stop.signal },
        writer,
      );
      await assert.rejects(cancelled, (e: Error & { code?: string }) => e.code === 'CANCELLED');
      const outcome = (await waitFor(
        async () =>
          ((await evaluate(c, 'globalThis.heapLensWrite?.code ? heapLensWrite : undefined')) as object) ??
          undefined,
        60_000,
        'the cancelled write to end',
      )) as { code: string; ms: number };
      assert.equal(outcome.code, 'EPIPE', JSON.stringify(outcome));
      assert.ok(received < whole / 2, `${received} of ${whole} bytes arrived before the cancel`);
      console.log(
        `# whole snapshot ${whole} bytes in ${fullMs} ms; cancelled after ${received} bytes, V8 gave up after ${outcome.ms} ms`,
      );
    } finally {
      c.close();
      await own.kill();
    }
  });

  /** An attached hunt cancelled at the first progress report `now` picks; the time it took to let go (ms). */
  async function cancelledHunt(iterations: number, now: (pr: HuntProgress) => boolean): Promise<number> {
    const stop = new AbortController();
    const target = await attach(
      p.wsUrl,
      { kind: 'evaluate', expression: 'heapLensWork()' },
      { signal: stop.signal },
    );
    let abortedAt = 0;
    const run = hunt(target, {
      iterations,
      warmup: 0,
      signal: stop.signal,
      onProgress: (pr) => {
        if (now(pr) && !abortedAt) {
          abortedAt = Date.now();
          stop.abort();
        }
      },
    });
    await assert.rejects(run, (e: Error & { code?: string }) => e.code === 'CANCELLED');
    await target.dispose();
    assert.ok(abortedAt > 0, 'the hunt got as far as the cancel');
    return Date.now() - abortedAt;
  }

  it('a hunt cancelled while V8 writes lets go at once; the process runs on, tracking off', async () => {
    // Writing is reported only for a snapshot through the pipe.
    await assertLetGo(await cancelledHunt(2, (pr) => pr.snapshot?.stage === 'writing'));
  });

  it('a hunt cancelled during its iterations (objects tracked) lets go at once; the process runs on, tracking off', async () => {
    await assertLetGo(await cancelledHunt(8, (pr) => pr.step === 'iteration' && pr.iteration === 3));
  });

  it('a live hunt cancelled while V8 writes its snapshot (the worker, as the extension drives it) lets go at once', async () => {
    let abortedAt = 0;
    const worker: HuntWorker = startHuntWorker(HUNT_WORKER, (pr) => {
      if (/writing/.test(pr.message ?? '') && !abortedAt) {
        abortedAt = Date.now();
        worker.signal.abort();
      }
    });
    try {
      await worker.api.liveStart({ url: p.wsUrl });
      assert.equal(await worker.api.liveSnapshot(), 1);
      assert.equal(await worker.api.liveSnapshot(), 2);
      await assert.rejects(worker.api.liveFinish(), (e) => isCancelled(e));
      assert.ok(abortedAt > 0, 'the snapshot came through the pipe (its writing was reported)');
      await assertLetGo(Date.now() - abortedAt);
      // The live hunt is over: nothing is left to analyse.
      await assert.rejects(worker.api.liveFinish(), (e) => isRemoteError(e, 'no-live-hunt'));
    } finally {
      await worker.dispose();
    }
  });

  it('an attached hunt on this machine takes its snapshot through the pipe and ends with tracking off', async () => {
    const target = await attach(p.wsUrl, { kind: 'evaluate', expression: 'heapLensWork()' });
    let writing = 0;
    try {
      const r = await hunt(target, {
        iterations: 3,
        warmup: 1,
        onProgress: (pr) => {
          if (pr.snapshot?.stage === 'writing') writing++;
        },
      });
      assert.ok(r.analysis.snapshot.nodeCount > 300_000);
      assert.ok(writing > 1);
    } finally {
      await target.dispose();
    }
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = await cpuSecondsOver(p.pid, 2000);
    assert.ok(cpu < IDLE_CPU_S, `${cpu} CPU s in 2 s after the hunt`);
  });
});

describe('a process that compiles scripts all the time lives on after every hunt in it', () => {
  it('eight attached hunts, cancelled while tracking, cancelled in the snapshot, or finished: it answers after each', async () => {
    // Sent a scriptParsed event at any moment (compiles-scripts.cjs): closed at once, 8 sessions
    // of 200 killed it (docs/v8-facts.md); with the old close this test failed in 2 runs of 6.
    const busy = await spawnInspectable(fixture('compiles-scripts.cjs'));
    await busy.stdoutMatch(/ready/, 30_000);
    const endings: { name: string; now?: (pr: HuntProgress) => boolean }[] = [
      { name: 'cancelled at iteration 2', now: (pr) => pr.step === 'iteration' && pr.iteration === 2 },
      { name: 'cancelled in the snapshot', now: (pr) => pr.step === 'snapshot' },
      { name: 'finished' },
    ];
    try {
      for (let i = 0; i < 8; i++) {
        const ending = endings[i % endings.length];
        const stop = new AbortController();
        const target = await attach(
          busy.wsUrl,
          { kind: 'evaluate', expression: 'heapLensWork()' },
          { signal: stop.signal },
        );
        const run = hunt(target, {
          iterations: 3,
          warmup: 0,
          signal: stop.signal,
          onProgress: (pr) => {
            if (ending.now?.(pr)) stop.abort();
          },
        });
        if (ending.now) await assert.rejects(run, (e: Error & { code?: string }) => e.code === 'CANCELLED');
        else await run;
        await target.dispose();
        // A death shows a moment after the close: a new session then fails to connect.
        await new Promise((r) => setTimeout(r, 100));
        const what = `after hunt ${i + 1} (${ending.name})`;
        const c = await connect(busy.wsUrl).catch(() => {
          throw new Error(`the process is gone ${what}: ${busy.child.signalCode ?? busy.child.exitCode}`);
        });
        const t1 = (await evaluate(c, 'heapLensTicks')) as number;
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(((await evaluate(c, 'heapLensTicks')) as number) > t1, `its timer ticks ${what}`);
        await disconnect(c);
      }
    } finally {
      await busy.kill();
    }
  });
});
