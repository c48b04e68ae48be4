// The live hunt and "why is this alive?" against a real `node --inspect` process, through
// the hunt worker as the extension drives them (the js-debug proxy speaks the same CDP).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHuntWorker } from '../../src/hunt/client';
import { isRemoteError } from '../../src/contracts/errors';
import { REPO } from '../helpers/snapshots';
import { startInspectServer } from '../helpers/processes';
import { connect } from '../../src/inspector/connect';

const HUNT_WORKER = path.join(REPO, 'dist', 'huntWorker.js');

async function exercise(port: number, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await (await fetch(`http://127.0.0.1:${port}/work`)).text();
}

test('a live hunt: baseline now, snapshots on demand, then the leak; the program keeps running', async () => {
  const server = await startInspectServer();
  const worker = startHuntWorker(HUNT_WORKER);
  try {
    const address = { host: '127.0.0.1', port: server.inspectPort };
    await worker.api.liveStart(address);
    await assert.rejects(
      worker.api.liveFinish(),
      (e) => isRemoteError(e, 'too-few-snapshots') && /at least 3 snapshots/.test(e.message),
    );
    for (let i = 1; i <= 3; i++) {
      await exercise(server.httpPort, 20);
      assert.equal(await worker.api.liveSnapshot(), i);
    }
    const outcome = await worker.api.liveFinish();
    const leak = outcome.report.leaks.find((l) => l.name === 'HeapLensRequestLeak');
    assert.ok(leak, outcome.report.leaks.map((l) => l.name).join());
    assert.equal(leak.count, 60);
    // The session keeps the last snapshot: the leak's graph can be drawn.
    const graph = await worker.api.retainerGraph(outcome.targets[outcome.report.leaks.indexOf(leak)]);
    assert.ok(graph && graph.nodes.some((n) => n.target && n.name === 'HeapLensRequestLeak'));
    assert.equal(server.process.exitCode, null);
  } finally {
    await worker.dispose();
    server.process.kill('SIGKILL');
  }
});

test('a program that ends in the middle of a live hunt fails it with a clear message', async () => {
  const server = await startInspectServer();
  const worker = startHuntWorker(HUNT_WORKER);
  try {
    await worker.api.liveStart({ host: '127.0.0.1', port: server.inspectPort });
    server.process.kill('SIGKILL');
    const t0 = Date.now();
    await assert.rejects(worker.api.liveSnapshot(), (e: Error) =>
      /closed|disconnect|exited|ended|lost/i.test(e.message),
    );
    assert.ok(Date.now() - t0 < 15_000);
  } finally {
    await worker.dispose();
  }
});

test('a mark while the program is paused fails within seconds saying so, and the hunt goes on once it runs', async () => {
  const server = await startInspectServer();
  const worker = startHuntWorker(HUNT_WORKER);
  // A second session pauses it, as a person at a breakpoint would.
  const debugging = await connect({ host: '127.0.0.1', port: server.inspectPort });
  try {
    await worker.api.liveStart({ host: '127.0.0.1', port: server.inspectPort });
    await debugging.send('Debugger.enable', {});
    const paused = new Promise<void>((resolve) => debugging.on('Debugger.paused', () => resolve()));
    await debugging.send('Debugger.pause');
    // Pausing needs JavaScript to run: a request makes the server run some.
    const request = fetch(`http://127.0.0.1:${server.httpPort}/work`).then((r) => r.text());
    await paused;
    const t0 = Date.now();
    await assert.rejects(
      worker.api.liveSnapshot(),
      (e) => isRemoteError(e, 'timeout') && /paused/.test(e.message),
    );
    const waited = Date.now() - t0;
    assert.ok(waited < 30_000, `failed in ${waited} ms, not after the 120 s idle bound`);
    await debugging.send('Debugger.resume');
    await request;
    await exercise(server.httpPort, 5);
    assert.equal(await worker.api.liveSnapshot(), 1, 'the live hunt survived the failed mark');
  } finally {
    debugging.close();
    await worker.dispose();
    server.process.kill('SIGKILL');
  }
});

test('why is this alive: an expression resolved to its heap object, drawn from a GC root', async () => {
  const server = await startInspectServer();
  const worker = startHuntWorker(HUNT_WORKER);
  try {
    const { id } = await worker.api.whyIsThisAlive(
      { host: '127.0.0.1', port: server.inspectPort },
      'globalThis.heapLensMarker',
    );
    const graph = await worker.api.retainerGraph(id);
    assert.ok(graph);
    const target = graph.nodes.find((n) => n.target);
    assert.equal(target?.name, 'HeapLensMarker');
    assert.ok(
      graph.nodes.some((n) => n.name === '(GC roots)'),
      'a GC root at the top',
    );
    assert.ok(
      graph.edges.some((e) => e.label === '.heapLensMarker'),
      graph.edges.map((e) => e.label).join(),
    );
    await assert.rejects(
      worker.api.whyIsThisAlive({ host: '127.0.0.1', port: server.inspectPort }, '42'),
      (e) => isRemoteError(e, 'not-an-object') && /not an object/.test(e.message),
    );
  } finally {
    await worker.dispose();
    server.process.kill('SIGKILL');
  }
});

test('heap overview: classes by retained size, and their growth since the previous overview', async () => {
  const server = await startInspectServer();
  const worker = startHuntWorker(HUNT_WORKER);
  try {
    const address = { host: '127.0.0.1', port: server.inspectPort };
    const first = await worker.api.overview(address);
    assert.ok(
      first.length > 10 && first.every((r) => r.countDelta === undefined),
      'no growth on the first overview',
    );
    assert.ok(
      first.every((r, i) => i === 0 || first[i - 1].retainedSize >= r.retainedSize),
      'sorted by retained size',
    );
    await exercise(server.httpPort, 25);
    const second = await worker.api.overview(address);
    const leak = second.find((r) => r.name === 'HeapLensRequestLeak');
    assert.equal(leak?.countDelta, 25);
    const graph = await worker.api.retainerGraph(leak.largestId);
    assert.ok(graph?.nodes.some((n) => n.target));
  } finally {
    await worker.dispose();
    server.process.kill('SIGKILL');
  }
});
