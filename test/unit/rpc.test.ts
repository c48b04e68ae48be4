// The worker contract (src/contracts/rpc.ts) over a real MessageChannel: typed calls and
// results, errors carried as codes, fire-and-forget signals, progress notices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { RpcClient, serve } from '../../src/contracts/rpc';
import { isRemoteError, RemoteError, wireError } from '../../src/contracts/errors';
import { DEFAULTS } from '../../src/contracts/defaults';
import { REPO } from '../helpers/snapshots';

interface CounterApi {
  add(a: number, b: number): Promise<number>;
  fail(code: 'bad-scenario' | 'cancelled'): Promise<void>;
  total(): Promise<number>;
}
interface CounterSignals {
  bump(by: number): void;
}

function pair(): { client: RpcClient<CounterApi, CounterSignals>; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  let bumped = 0;
  const side = serve<CounterApi, CounterSignals>(
    port2,
    {
      async add(a, b) {
        side.progress({ phase: 'adding', done: 1, total: 1 });
        return a + b;
      },
      async fail(code) {
        throw new RemoteError(code, `failed with ${code}`);
      },
      async total() {
        return bumped;
      },
    },
    {
      bump: (by) => {
        bumped += by;
      },
    },
    (e) => wireError(e),
  );
  const client = new RpcClient<CounterApi, CounterSignals>(port1);
  return {
    client,
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

test('a typed call returns its result; progress arrives before it', async () => {
  const { client, close } = pair();
  const phases: string[] = [];
  client.onProgress = (p) => phases.push(p.phase);
  try {
    assert.equal(await client.api.add(2, 3), 5);
    assert.deepEqual(phases, ['adding']);
  } finally {
    close();
  }
});

test('errors cross as codes the caller branches on', async () => {
  const { client, close } = pair();
  try {
    await assert.rejects(
      client.api.fail('bad-scenario'),
      (e) => isRemoteError(e, 'bad-scenario') && e.message === 'failed with bad-scenario',
    );
    await assert.rejects(client.api.fail('cancelled'), (e) => isRemoteError(e, 'cancelled'));
    // A method the worker lacks (only reachable by casting the contract away) is an internal error, not a hang.
    await assert.rejects((client.api as unknown as { nope(): Promise<void> }).nope(), (e) =>
      isRemoteError(e, 'internal'),
    );
  } finally {
    close();
  }
});

test('signals are delivered in order with calls; a closed client fails every call with its reason', async () => {
  const { client, close } = pair();
  try {
    client.signal.bump(2);
    client.signal.bump(5);
    assert.equal(await client.api.total(), 7);
    client.close(new RemoteError('cancelled', 'stopped'));
    await assert.rejects(client.api.total(), (e) => isRemoteError(e, 'cancelled'));
    // Awaiting the proxy itself must not look like a promise.
    assert.equal(await Promise.resolve(client.api).then((x) => typeof x), 'object');
  } finally {
    close();
  }
});

test('the settings in package.json default to the values in src/contracts/defaults.ts', () => {
  const props = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).contributes.configuration
    .properties;
  assert.equal(props['heaplens.iterations'].default, DEFAULTS.iterations);
  assert.equal(props['heaplens.iterations'].minimum, DEFAULTS.minIterations);
  assert.equal(props['heaplens.iterations'].maximum, DEFAULTS.maxIterations);
  assert.equal(props['heaplens.trackAllocations'].default, DEFAULTS.trackAllocations);
  assert.equal(props['heaplens.retainerPaths'].default, DEFAULTS.retainerPaths);
  assert.equal(props['heaplens.graphSizeLimit'].default, DEFAULTS.graphSizeLimit);
});
