// The `heaplens` debug type over the Debug Adapter Protocol, driven by a real DAP client
// (@vscode/debugadapter-testsupport) against real Node debuggees.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { REPO } from '../helpers/snapshots';
import { processesMentioning, startInspectServer } from '../helpers/processes';
import type { HuntOutcome } from '../../src/contracts/hunt';

const ADAPTER = path.join(REPO, 'dist', 'debugAdapter.js');

async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, ADAPTER, 'heaplens');
  dc.defaultTimeout = 120_000;
  await dc.start();
  await dc.initializeRequest({
    adapterID: 'heaplens',
    supportsProgressReporting: true,
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
  });
  return dc;
}

test('launch a leaky scenario: progress, the report in the Debug Console and as an event, nothing left running', async () => {
  const scenario = path.join(REPO, 'examples', 'leaks', 'array-element.js');
  const dc = await startClient();
  try {
    const progress: string[] = [];
    dc.on('progressStart', () => progress.push('start'));
    dc.on('progressEnd', () => progress.push('end'));
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const reported = dc.waitForEvent('heaplens.report');
    const terminated = dc.waitForEvent('terminated');
    await dc.launchRequest({ scenario, iterations: 5 } as DebugProtocol.LaunchRequestArguments);
    const outcome = (await reported).body as HuntOutcome;
    await terminated;
    assert.ok(
      outcome.report.leaks.some((l) => l.name === 'AuditEntry'),
      outcome.report.leaks.map((l) => l.name).join(),
    );
    assert.match(output.join(''), /AuditEntry objects .* kept alive by/);
    assert.deepEqual(progress, ['start', 'end']);
    assert.deepEqual(processesMentioning(scenario), [], 'no debuggee left');
  } finally {
    await dc.stop();
  }
});

test('disconnect in the middle of a hunt stops it and leaves no process behind', async () => {
  const scenario = path.join(REPO, 'examples', 'leaks', 'map-entry.js');
  const dc = await startClient();
  try {
    const started = dc.waitForEvent('progressUpdate');
    await dc.launchRequest({ scenario, iterations: 50 } as DebugProtocol.LaunchRequestArguments);
    await started;
    const t0 = Date.now();
    await dc.disconnectRequest({});
    assert.ok(Date.now() - t0 < 15_000, 'bounded');
    const deadline = Date.now() + 10_000;
    while (processesMentioning(scenario).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(processesMentioning(scenario), [], 'no debuggee left');
  } finally {
    await dc.stop();
  }
});

test('attach to a node --inspect process by port, repeat a request, and leave it running', async () => {
  const server = await startInspectServer();
  const dc = await startClient();
  try {
    const { inspectPort, httpPort } = server;
    const reported = dc.waitForEvent('heaplens.report');
    await dc.attachRequest({
      port: inspectPort,
      url: `http://127.0.0.1:${httpPort}/work`,
      iterations: 4,
    } as DebugProtocol.AttachRequestArguments);
    const outcome = (await reported).body as HuntOutcome;
    await dc.waitForEvent('terminated');
    assert.ok(outcome.report.leaks.some((l) => l.name === 'HeapLensRequestLeak'));
    assert.equal(server.process.exitCode, null, 'the attached process keeps running');
  } finally {
    await dc.stop();
    server.process.kill('SIGKILL');
  }
});

test('launch a program with an action: started by the one launcher, hunted, and killed at the end', async () => {
  const program = path.join(REPO, 'test', 'fixtures', 'inspector', 'leaky-program.cjs');
  const dc = await startClient();
  try {
    const reported = dc.waitForEvent('heaplens.report');
    await dc.launchRequest({
      program,
      action: 'work()',
      iterations: 4,
    } as DebugProtocol.LaunchRequestArguments);
    const outcome = (await reported).body as HuntOutcome;
    await dc.waitForEvent('terminated');
    assert.ok(
      outcome.report.leaks.some((l) => l.name === 'ProgramLeak'),
      outcome.report.leaks.map((l) => l.name).join(),
    );
    assert.deepEqual(processesMentioning('leaky-program.cjs'), [], 'the program was killed');
  } finally {
    await dc.stop();
  }
});
