// The js-debug CDP proxy path. VS Code is not here, so a stand-in relay plays the
// proxy's documented part in front of a real debuggee: it forwards commands, answers
// `JsDebug.subscribe` itself, and forwards no event the client has not subscribed to
// (as src/adapter/cdpProxy.ts in vscode-js-debug does). Everything behind it is real V8.

import assert from 'node:assert/strict';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { attach, connect, takeSnapshot } from '../../src/inspector';
import {
  FileSink,
  Inspectable,
  countObjects,
  fixture,
  rejectsWith,
  spawnInspectable,
  tempDir,
  withTimeout,
} from './helpers';

class ProxyStandIn {
  readonly methods: string[] = [];
  private server!: WebSocketServer;
  readonly path = '/0123456789abcdef';

  async start(debuggeeUrl: string): Promise<{ host: string; port: number; path: string }> {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: this.path });
    await new Promise<void>((r) => this.server.once('listening', () => r()));
    this.server.on('connection', (client) => {
      const upstream = new WebSocket(debuggeeUrl, { perMessageDeflate: false });
      const queued: string[] = [];
      let prefixes: string[] = [];
      upstream.on('open', () => queued.splice(0).forEach((m) => upstream.send(m)));
      upstream.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { id?: number; method?: string };
        if (
          msg.id !== undefined ||
          prefixes.some((p) => (p.endsWith('*') ? msg.method!.startsWith(p.slice(0, -1)) : msg.method === p))
        ) {
          client.send(data.toString());
        }
      });
      client.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as {
          id: number;
          method: string;
          params?: { events?: string[] };
        };
        this.methods.push(msg.method);
        if (msg.method === 'JsDebug.subscribe') {
          prefixes = prefixes.concat(msg.params?.events ?? []);
          client.send(JSON.stringify({ id: msg.id, result: {} }));
        } else if (upstream.readyState === WebSocket.OPEN) upstream.send(data.toString());
        else queued.push(data.toString());
      });
      client.on('close', () => upstream.close());
      upstream.on('close', () => client.close());
    });
    const { port } = this.server.address() as AddressInfo;
    return { host: '127.0.0.1', port, path: this.path };
  }

  close(): void {
    for (const c of this.server.clients) c.terminate();
    this.server.close();
  }
}

describe('js-debug CDP proxy', () => {
  let target: Inspectable;
  const proxy = new ProxyStandIn();
  let address: { host: string; port: number; path: string };
  before(async () => {
    target = await spawnInspectable(fixture('server.cjs'));
    address = await proxy.start(target.wsUrl);
  });
  after(async () => {
    proxy.close();
    await target.kill();
  });

  it('subscribes before anything else, so snapshot chunks arrive through the proxy', async () => {
    const client = await connect({ viaJsDebugProxy: true, ...address });
    try {
      assert.ok(client.viaJsDebugProxy);
      assert.equal(proxy.methods[0], 'JsDebug.subscribe');
      const sink = new FileSink(path.join(tempDir('proxy'), 'p.heapsnapshot'));
      await withTimeout(takeSnapshot(client, sink), 10_000, 'snapshot through the proxy');
      assert.equal(countObjects(sink.parse(), 'HeapLensMarker'), 1);
    } finally {
      client.close();
    }
  });

  it('attach through the proxy never disables domains or skips pauses of the user’s session', async () => {
    proxy.methods.length = 0;
    const t = await attach(
      { viaJsDebugProxy: true, ...address },
      { kind: 'evaluate', expression: 'heapLensWork()' },
    );
    await t.runIteration();
    await t.startTracking();
    await t.stopTracking();
    await t.dispose();
    for (const m of ['Debugger.disable', 'Debugger.setSkipAllPauses', 'HeapProfiler.disable']) {
      assert.ok(!proxy.methods.includes(m), `${m} was sent through the proxy`);
    }
    assert.ok(proxy.methods.includes('HeapProfiler.stopTrackingHeapObjects'));
  });

  it('a wrong proxy path fails with CONNECT_FAILED', async () => {
    await rejectsWith(connect({ viaJsDebugProxy: true, ...address, path: '/wrong' }), 'CONNECT_FAILED', 3000);
  });
});
