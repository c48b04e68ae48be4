// The scripted hunt end to end on real debuggees: the last iteration and the snapshot are one
// evaluation in the harness (no heap-stats push between them), and what that must not change:
// the last unit's `back` ran before the snapshot, console entries are dropped, every iteration's
// members are found, and tracking ends.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startDebuggee } from '../../src/inspector';
import { isTracking } from '../../src/inspector/snapshot';
import { hunt, HuntProgress } from '../../src/hunt/hunt';
import type { SnapshotProgress } from '../../src/inspector/snapshotProgress';
import type { HeapSnapshot } from '../../src/core/snapshot';
import type { CdpClient } from '../../src/inspector/cdp';
import { assertGone, fixture, waitFor } from './helpers';

/** Heap-stats pushes V8 sends within `ms` (every ~50 ms on a small heap while objects are tracked). */
async function pushesWithin(client: CdpClient, ms: number): Promise<number> {
  let n = 0;
  const off = client.on('HeapProfiler.lastSeenObjectId', () => n++);
  await new Promise((r) => setTimeout(r, ms));
  off();
  return n;
}

function count(s: HeapSnapshot, name: string): number {
  let n = 0;
  for (let i = 0; i < s.nodeCount; i++)
    if (s.nodeTypeName(i) === 'object' && s.nodeNameString(i) === name) n++;
  return n;
}

/** How the hunt went, from its progress: iterations run, snapshots started (a dropped one included), the last one's progress. */
function watch(): {
  onProgress: (p: HuntProgress) => void;
  runs: number;
  snapshots: number;
  progress: SnapshotProgress[];
} {
  const w = {
    runs: 0,
    snapshots: 0,
    last: '',
    progress: [] as SnapshotProgress[],
    onProgress(p: HuntProgress) {
      if (p.step === 'iteration') w.runs++;
      if (p.step === 'snapshot' && w.last !== 'snapshot') {
        w.snapshots++;
        w.progress = [];
      }
      if (p.snapshot) w.progress.push(p.snapshot);
      w.last = p.step;
    },
  };
  return w;
}

/** A snapshot's progress: walking first, then writing with bytes that only grow, up to the whole, once. */
function assertProgress(progress: SnapshotProgress[]): void {
  assert.equal(progress[0]?.stage, 'walking');
  const writing = progress.filter((p) => p.stage === 'writing');
  assert.ok(writing.length >= 2, `writing reported ${writing.length} times`);
  assert.deepEqual(
    progress.map((p) => p.stage),
    [...progress.filter((p) => p.stage === 'walking').map(() => 'walking'), ...writing.map(() => 'writing')],
  );
  for (let i = 1; i < writing.length; i++) assert.ok(writing[i].done >= writing[i - 1].done);
  assert.ok(writing.every((p) => p.total >= p.done));
  assert.deepEqual(
    writing.map((p) => p.finished),
    [...writing.slice(1).map(() => false), true],
  );
}

describe('scripted hunt', () => {
  for (const iterations of [2, 4]) {
    it(`synchronous units, ${iterations} iterations: the last unit's back ran before the snapshot, console entries dropped, every iteration found`, async () => {
      const d = await startDebuggee(fixture('leaky-sync.cjs'), { onOutput: () => undefined });
      try {
        const w = watch();
        const r = await hunt(d, { iterations, warmup: 2, onProgress: (p) => w.onProgress(p) });
        const units = (
          await d.client.send('Runtime.evaluate', { expression: 'heapLensUnits', returnByValue: true })
        ).result.value as number;
        // Every unit run (warm-ups included) is in the snapshot, `back` and all, and none after it.
        assert.equal(units, 2 + w.runs);
        assert.equal(count(r.analysis.snapshot, 'HeapLensSyncLeaky'), units);
        assert.equal(count(r.analysis.snapshot, 'HeapLensBack'), units);
        assert.equal(
          count(r.analysis.snapshot, 'HeapLensLogged'),
          0,
          'console entries are dropped before the snapshot',
        );
        const leak = r.leaks.find((l) => l.className === 'HeapLensSyncLeaky');
        assert.ok(leak, `found: ${r.leaks.map((l) => l.className).join(', ')}`);
        assert.equal(leak.bornPerIteration.length, iterations);
        assert.ok(
          leak.bornPerIteration.every((n) => n >= 1),
          `born per iteration ${leak.bornPerIteration}`,
        );
        // A lost race before the last unit drops its snapshot and runs one more: both ways are right.
        assert.ok(
          w.snapshots >= 1 && w.snapshots - 1 <= w.runs - iterations,
          `${w.snapshots} snapshots, ${w.runs} units`,
        );
        assertProgress(w.progress);
        await waitFor(() => (isTracking(d.client) ? undefined : true), 10_000, 'tracking to end');
        assert.equal(await pushesWithin(d.client, 600), 0, 'V8 still pushes heap statistics: tracking is on');
        console.log(`# ${iterations} iterations: ${w.runs} units, ${w.snapshots} snapshot(s)`);
      } finally {
        await d.dispose();
      }
      assertGone(d.pid);
    });
  }

  it('pure units run in one evaluation, each in its own frame: births per iteration exact, back ran, tracking ends', async () => {
    const d = await startDebuggee(fixture('leaky-pure.cjs'), { onOutput: () => undefined });
    try {
      const w = watch();
      const iterations = 6;
      const r = await hunt(d, { iterations, warmup: 2, onProgress: (p) => w.onProgress(p) });
      const units = (
        await d.client.send('Runtime.evaluate', { expression: 'heapLensUnits', returnByValue: true })
      ).result.value as number;
      // One framed run (one iteration notice) and one snapshot: no unit ran beyond the hunt's.
      assert.equal(units, 2 + iterations);
      assert.deepEqual([w.runs, w.snapshots], [1, 1]);
      assert.equal(
        count(r.analysis.snapshot, 'HeapLensPureBack'),
        units,
        "every unit's back ran before the snapshot",
      );
      const leak = r.leaks.find((l) => l.className === 'HeapLensPure');
      assert.ok(leak, `found: ${r.leaks.map((l) => l.className).join(', ')}`);
      // Unit u leaked 1 + u % 3: iteration k is unit 2 + k.
      assert.deepEqual(
        leak.bornPerIteration,
        Array.from({ length: iterations }, (_, k) => 1 + ((k + 3) % 3)),
      );
      assertProgress(w.progress);
      await waitFor(() => (isTracking(d.client) ? undefined : true), 10_000, 'tracking to end');
      assert.equal(await pushesWithin(d.client, 600), 0, 'V8 still pushes heap statistics: tracking is on');
    } finally {
      await d.dispose();
    }
    assertGone(d.pid);
  });

  it('a unit that turns async during the framed run: the hunt starts over with its marks', async () => {
    const d = await startDebuggee(fixture('turns-async.cjs'), { onOutput: () => undefined });
    try {
      const w = watch();
      const r = await hunt(d, { iterations: 3, warmup: 2, onProgress: (p) => w.onProgress(p) });
      const units = (
        await d.client.send('Runtime.evaluate', { expression: 'heapLensUnits', returnByValue: true })
      ).result.value as number;
      // Two warm-ups, the framed run's pure third unit and impure fourth, then the marked iterations.
      assert.ok(units >= 2 + 2 + 3, `${units} units`);
      const leak = r.leaks.find((l) => l.className === 'HeapLensTurnsAsync');
      assert.ok(leak, `found: ${r.leaks.map((l) => l.className).join(', ')}`);
      assert.ok(
        leak.bornPerIteration.length === 3 && leak.bornPerIteration.every((n) => n >= 1),
        `born per iteration ${leak.bornPerIteration}`,
      );
      // The framed run's units are older than the marks' start: none of them is a member.
      assert.ok(leak.members.length <= units - 4, `${leak.members.length} members of ${units} units`);
    } finally {
      await d.dispose();
    }
    assertGone(d.pid);
  });

  it('a unit that returns a promise: the snapshot still follows its end, console entries dropped', async () => {
    const d = await startDebuggee(fixture('logs.cjs'), { onOutput: () => undefined });
    try {
      const r = await hunt(d, { iterations: 3, warmup: 1 });
      assert.equal(count(r.analysis.snapshot, 'HeapLensLogged'), 0);
      assert.deepEqual(
        r.leaks.map((l) => l.className),
        [],
      );
    } finally {
      await d.dispose();
    }
  });

  it('the last unit throwing is reported as the scenario throwing, and nothing is left running', async () => {
    const d = await startDebuggee(fixture('throws-last.cjs'), { onOutput: () => undefined });
    await assert.rejects(hunt(d, { iterations: 2, warmup: 0 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'SCENARIO_THREW', e.message);
      assert.match(e.message, /second unit fails/);
      return true;
    });
    await d.dispose();
    assertGone(d.pid);
  });
});
