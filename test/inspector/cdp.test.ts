// The CDP client against a real `node --inspect` child: the three ways to connect,
// the loopback rule, timeouts, and what pending requests see when the socket dies.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CdpClient, connect, isLoopbackHost } from '../../src/inspector';
import { Inspectable, fixture, rejectsWith, spawnInspectable, tcpRelay, withTimeout } from './helpers';

describe('CDP client', () => {
  let target: Inspectable;
  before(async () => {
    target = await spawnInspectable(fixture('server.cjs'));
  });
  after(async () => {
    await target.kill();
  });

  async function evalNumber(client: CdpClient, expression: string): Promise<unknown> {
    const r = await client.send('Runtime.evaluate', { expression, returnByValue: true });
    return r.result.value;
  }

  it('connects by ws:// URL and sends typed requests', async () => {
    const client = await connect(target.wsUrl);
    try {
      assert.equal(await evalNumber(client, '6 * 7'), 42);
    } finally {
      client.close();
    }
  });

  it('connects by host:port through /json/list', async () => {
    const client = await connect({ host: '127.0.0.1', port: target.port });
    try {
      assert.equal(await evalNumber(client, 'typeof globalThis.heapLensMarker'), 'object');
    } finally {
      client.close();
    }
  });

  it('accepts localhost and ::1 as loopback, nothing else without allowRemote', async () => {
    for (const h of ['127.0.0.1', '127.9.9.9', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', 'example.com', '0.0.0.0', '::', '192.168.1.1'])
      assert.ok(!isLoopbackHost(h), h);
    await rejectsWith(connect({ host: '10.1.2.3', port: target.port }), 'NOT_LOOPBACK', 1000, /allowRemote/);
    await rejectsWith(connect('ws://192.168.0.1:9229/abc'), 'NOT_LOOPBACK', 1000);
    await rejectsWith(
      connect({ viaJsDebugProxy: true, host: '10.0.0.5', port: 1234, path: '/x' }),
      'NOT_LOOPBACK',
      1000,
    );
  });

  it('an unreachable remote host fails within the connect timeout', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never routed, so this either hangs (timeout) or is refused at once.
    await rejectsWith(
      connect('ws://192.0.2.1:9229/x', { allowRemote: true, connectTimeoutMs: 500 }),
      'CONNECT_FAILED',
      3000,
    );
  });

  it('a closed port fails fast with CONNECT_FAILED (URL and host:port)', async () => {
    const port = await closedPort();
    await rejectsWith(connect(`ws://127.0.0.1:${port}/nothing`), 'CONNECT_FAILED', 3000);
    await rejectsWith(connect({ host: '127.0.0.1', port }), 'CONNECT_FAILED', 3000);
  });

  it('a port that is not an inspector gives NO_TARGET or CONNECT_FAILED, not a hang', async () => {
    const httpPort = Number((await target.stdoutMatch(/HTTP (\d+)/))[1]);
    const err = await withTimeout(
      connect({ host: '127.0.0.1', port: httpPort }).then(
        () => undefined,
        (e: Error) => e,
      ),
      3000,
      'connect',
    );
    assert.ok(
      err && 'code' in err && (err.code === 'NO_TARGET' || err.code === 'CONNECT_FAILED'),
      String(err),
    );
  });

  it('CDP errors become PROTOCOL errors; slow requests become TIMEOUT', async () => {
    const client = await connect(target.wsUrl);
    try {
      await rejectsWith(client.request('NoSuch.method'), 'PROTOCOL', 2000, /NoSuch\.method/);
      await rejectsWith(
        client.call(
          'Runtime.evaluate',
          { expression: 'new Promise(() => {})', awaitPromise: true },
          { timeoutMs: 200 },
        ),
        'TIMEOUT',
        2000,
      );
      // The connection is still usable after a timeout.
      assert.equal(await evalNumber(client, '1 + 1'), 2);
    } finally {
      client.close();
    }
  });

  it('a dropped connection rejects every pending request with DISCONNECTED', async () => {
    // A TCP relay we can cut, between the client and the debuggee.
    const relay = await tcpRelay(target.port);
    try {
      const client = await connect({ host: '127.0.0.1', port: relay.port });
      let closedWith: string | undefined;
      client.onClose((e) => (closedWith = e.code));
      const never = { expression: 'new Promise(() => {})', awaitPromise: true };
      const pending = [client.send('Runtime.evaluate', never), client.send('Runtime.evaluate', never)];
      assert.equal(await evalNumber(client, '3'), 3); // the requests above are in flight
      relay.cut();
      for (const p of pending) await rejectsWith(p, 'DISCONNECTED', 3000);
      assert.equal(closedWith, 'DISCONNECTED');
      // Later requests fail at once with the same reason.
      await rejectsWith(client.send('Runtime.evaluate', { expression: '1' }), 'DISCONNECTED', 500);
    } finally {
      relay.close();
    }
  });

  it('cancellation through an AbortSignal rejects with CANCELLED', async () => {
    const client = await connect(target.wsUrl);
    try {
      const ac = new AbortController();
      const p = client.call(
        'Runtime.evaluate',
        { expression: 'new Promise(() => {})', awaitPromise: true },
        { signal: ac.signal },
      );
      ac.abort();
      await rejectsWith(p, 'CANCELLED', 1000);
    } finally {
      client.close();
    }
  });
});

/** A loopback port nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
