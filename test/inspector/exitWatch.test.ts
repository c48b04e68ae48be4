// The exit watch (src/inspector/exitWatch.ts) against a real `node --inspect` process: its probe
// never reads a live program as exiting, from the moment the inspector listens (Node still
// bootstrapping, then a main module that runs for 800 ms) through the busiest V8 we make
// (heap-stats pushes, a snapshot, a long evaluation, vm contexts made and collected), and it
// does read the exit once the program calls process.exit().

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect, discardSink, InspectorError, startTracking, takeSnapshot } from '../../src/inspector';
import { watchForExit } from '../../src/inspector/exitWatch';
import { fixture, spawnInspectable, waitFor } from './helpers';

describe('the exit watch on a live program', () => {
  it('never reads it as exiting while it runs, and reads its exit within seconds', async (t) => {
    const program = await spawnInspectable(fixture('slow-start.cjs'));
    try {
      // At once: the program is still in Node's bootstrap.
      const client = await connect(program.wsUrl);
      let closedBy: InspectorError | undefined;
      client.onClose((why) => (closedBy = why));
      const stop = watchForExit(client, 5);
      // The watch's own call, asked back to back, every answer kept (the watch keeps none).
      const answers: string[] = [];
      let probing = true;
      const probes = (async () => {
        while (probing && !client.isClosed)
          await client.call('Runtime.globalLexicalScopeNames', {}).then(
            () => answers.push('ok'),
            (e: Error) => answers.push(e.message),
          );
      })();
      const evaluate = async (expression: string): Promise<unknown> => {
        const r = await client.call(
          'Runtime.evaluate',
          { expression, returnByValue: true, awaitPromise: true },
          { timeoutMs: 60_000 },
        );
        assert.equal(r.exceptionDetails, undefined, r.exceptionDetails?.exception?.description);
        return r.result.value;
      };
      await waitFor(() => answers.length > 0 || undefined, 10_000, 'a first answer');
      // Through the main module's 800 ms.
      while ((await evaluate('typeof globalThis.work')) !== 'function');
      const atStart = answers.length;
      await startTracking(client, { trackAllocations: true });
      await evaluate(
        `(() => { const vm = process.getBuiltinModule('node:vm');
          for (let i = 0; i < 200; i++) vm.runInNewContext('globalThis.x = [1, 2, 3]', {}); })()`,
      );
      await evaluate('new Promise((r) => setTimeout(r, 1500))'); // heap-stats pushes run meanwhile
      await evaluate('(() => { const t = Date.now(); while (Date.now() - t < 1000); })()');
      await takeSnapshot(client, discardSink);
      const live = answers.slice();
      assert.ok(atStart > 0 && live.length > atStart + 5, `probes answered: ${atStart}, ${live.length}`);
      assert.deepEqual(
        live.filter((a) => a !== 'ok'),
        [],
        'every probe on the live program answered',
      );
      assert.equal(closedBy, undefined, 'the watch let a live program go');
      t.diagnostic(`probes answered: ${atStart} until the main module had run, ${live.length} in all`);

      await evaluate('setTimeout(() => process.exit(0), 10), 0');
      const why = await waitFor(() => closedBy, 10_000, 'the watch to see the exit');
      assert.equal(why.code, 'DEBUGGEE_EXITED', why.message);
      probing = false;
      await probes;
      assert.ok(
        answers.slice(live.length).some((a) => /Cannot find context with specified id/.test(a)),
        `after the exit: ${answers.slice(live.length).join(' | ')}`,
      );
      stop();
    } finally {
      await program.kill();
    }
  });
});
