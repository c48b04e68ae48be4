// Letting go of a process that lives on, against real `node --inspect` children: the CDP
// client knows which requests still wait for their answer (answered), makes a round trip
// (flush), and closes only once the answers are in, within a bound (closeQuietly); disconnect()
// also switches off what would send more. Why: Node 20 can crash with SIGSEGV when its inspector
// sends a message while it reads the end of our socket (docs/v8-facts.md).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, disconnect } from '../../src/inspector';
import type { CdpClient } from '../../src/inspector/cdp';
import { Inspectable, fixture, isAlive, rejectsWith, spawnInspectable } from './helpers';

/** An evaluation whose answer comes `ms` later (never, for Infinity). */
function settlesAfter(client: CdpClient, ms: number, timeoutMs?: number): Promise<unknown> {
  const expression = Number.isFinite(ms)
    ? `new Promise((r) => setTimeout(() => r(${ms}), ${ms}))`
    : 'new Promise(() => {})';
  return client
    .call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, { timeoutMs })
    .then((r) => r.result.value);
}

describe('closing quietly', () => {
  let target: Inspectable;
  before(async () => {
    target = await spawnInspectable(fixture('server.cjs'));
  });
  after(() => target.kill());

  it('answered() waits for every answer, even one its caller stopped waiting for', async () => {
    const client = await connect(target.wsUrl);
    try {
      assert.equal(await client.answered(), true, 'nothing outstanding: at once');
      await rejectsWith(settlesAfter(client, 300, 50), 'TIMEOUT', 2000);
      assert.equal(client.outstanding, 1, 'the timed-out evaluation is still running in V8');
      assert.equal(await client.answered(20), false, 'not within 20 ms');
      assert.equal(await client.answered(), true);
      assert.equal(client.outstanding, 0);
    } finally {
      client.close();
    }
  });

  it('flush() is one round trip: what V8 sent before has arrived; a request still running is not waited for', async () => {
    const client = await connect(target.wsUrl);
    try {
      await client.send('Debugger.enable', {});
      let parsed = 0;
      client.on('Debugger.scriptParsed', (e) => {
        if (e.url === '' && e.length === 4) parsed++;
      });
      void settlesAfter(client, Infinity).catch(() => undefined);
      // Twenty scripts compiled (each an indirect eval), their events sent before this answer.
      void client.send('Runtime.evaluate', {
        expression: `for (let i = 10; i < 30; i++) (0, eval)('"' + i + '"')`,
      });
      assert.equal(await client.flush(), true);
      assert.equal(parsed, 20, 'every scriptParsed sent before the round trip arrived before it');
      assert.equal(client.outstanding, 1, 'flush() did not wait for the evaluation that never ends');
    } finally {
      client.close();
    }
  });

  it('closeQuietly() closes once the answers are in, or at its bound', async () => {
    const a = await connect(target.wsUrl);
    const answered = settlesAfter(a, 300);
    await a.closeQuietly();
    assert.equal(await answered, 300, 'the evaluation got its answer before the socket closed');
    assert.ok(a.isClosed);

    const b = await connect(target.wsUrl);
    const never = settlesAfter(b, Infinity);
    await b.closeQuietly(undefined, 200);
    assert.ok(b.isClosed);
    await rejectsWith(never, 'DISCONNECTED', 1000);
  });

  it('a process that compiles scripts all the time lives on after 25 sessions (Debugger on) let go with disconnect()', async () => {
    // Every session here is sent scriptParsed events at any moment. Closed at once (close()
    // instead of disconnect()), the process died with SIGSEGV within these 25 in 4 runs of 4.
    const busy = await spawnInspectable(fixture('compiles-scripts.cjs'));
    try {
      const died = async (after: string): Promise<never> => {
        await new Promise((r) => setTimeout(r, 200));
        throw new Error(`the process is gone ${after}: ${busy.child.signalCode ?? busy.child.exitCode}`);
      };
      for (let i = 0; i < 25; i++) {
        const c = await connect(busy.wsUrl).catch(() => died(`after session ${i}`));
        await c.send('Debugger.enable', {});
        await disconnect(c);
        assert.ok(c.isClosed);
      }
      // A death shows a moment after the close: the next connect fails. One more session, then.
      const c = await connect(busy.wsUrl).catch(() => died('after session 25'));
      const r = await c.send('Runtime.evaluate', { expression: 'heapLensTicks', returnByValue: true });
      assert.ok((r.result.value as number) > 0);
      await disconnect(c);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(isAlive(busy.pid) && busy.child.exitCode === null && busy.child.signalCode === null);
    } finally {
      await busy.kill();
    }
  });
});
