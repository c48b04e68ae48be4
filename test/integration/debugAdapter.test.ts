// The `heaplens` debug type over the Debug Adapter Protocol, driven by a real DAP client
// (@vscode/debugadapter-testsupport) against real Node debuggees.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { REPO } from '../helpers/snapshots';
import { processesMentioning, startInspectServer } from '../helpers/processes';
import type { ChildProcess } from 'node:child_process';
import type { HuntOutcome } from '../../src/contracts/hunt';

const ADAPTER = path.join(REPO, 'dist', 'debugAdapter.js');

/** A session's record: everything the adapter said, and how its process ended. */
interface Session {
  dc: DebugClient;
  /** The hunt's outcome; rejects, with all the adapter said, as soon as the session ends without one. */
  report: Promise<HuntOutcome>;
  terminated: Promise<unknown>;
}

/** How long a hunt may take before the test says where it was (a bound for a hang only). */
const HUNT_BOUND_MS = 120_000;

async function startClient(): Promise<Session> {
  const dc = new DebugClient(process.execPath, ADAPTER, 'heaplens');
  dc.defaultTimeout = HUNT_BOUND_MS;
  const t0 = Date.now();
  const said: string[] = [];
  const note = (line: string): number => said.push(`${Date.now() - t0} ms ${line}`);
  dc.on('output', (e: DebugProtocol.OutputEvent) =>
    note(`[${e.body.category ?? 'console'}] ${e.body.output.trimEnd()}`),
  );
  // Where a hunt that hangs was: its last progress message.
  dc.on('progressUpdate', (e: DebugProtocol.ProgressUpdateEvent) =>
    note(`[progress] ${e.body.message ?? ''}`),
  );
  const why = (what: string): Error =>
    new Error(`${what} without a report; the adapter said:\n${said.join('\n') || '(nothing)'}`);
  const terminated = new Promise((resolve) => dc.once('terminated', resolve));
  const report = new Promise<HuntOutcome>((resolve, reject) => {
    dc.on('heaplens.report', (e: DebugProtocol.Event) => resolve(e.body as HuntOutcome));
    // A hunt that fails says why on stderr and ends the session; the adapter sends the report
    // before it ends the session, so this only rejects a session that ended without one.
    dc.on('terminated', () => reject(why('the session ended')));
    setTimeout(() => reject(why(`${HUNT_BOUND_MS / 1000} s went by`)), HUNT_BOUND_MS).unref();
  });
  // Awaited by the test or not: a rejection must not be reported as unhandled on its own.
  report.catch(() => undefined);
  await dc.start();
  // The testsupport client neither reports its adapter's death nor passes its stderr on.
  const adapter = (dc as unknown as { _adapterProcess: ChildProcess | null })._adapterProcess;
  let stderr = '';
  adapter?.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  adapter?.on('exit', (code, signal) => {
    note(`[adapter process] exited with ${signal ?? code}\n${stderr}`);
    dc.emit('terminated', { event: 'terminated' });
  });
  await dc.initializeRequest({
    adapterID: 'heaplens',
    supportsProgressReporting: true,
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
  });
  return { dc, report, terminated };
}

test('launch a leaky scenario: progress, the report in the Debug Console and as an event, nothing left running', async () => {
  const scenario = path.join(REPO, 'examples', 'leaks', 'array-element.js');
  const { dc, report, terminated } = await startClient();
  try {
    const progress: string[] = [];
    dc.on('progressStart', () => progress.push('start'));
    dc.on('progressEnd', () => progress.push('end'));
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await dc.launchRequest({ scenario, iterations: 5 } as DebugProtocol.LaunchRequestArguments);
    const outcome = await report;
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
  const { dc } = await startClient();
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
  const { dc, report, terminated } = await startClient();
  try {
    const { inspectPort, httpPort } = server;
    await dc.attachRequest({
      port: inspectPort,
      url: `http://127.0.0.1:${httpPort}/work`,
      iterations: 4,
    } as DebugProtocol.AttachRequestArguments);
    const outcome = await report;
    await terminated;
    assert.ok(outcome.report.leaks.some((l) => l.name === 'HeapLensRequestLeak'));
    assert.equal(server.process.exitCode, null, 'the attached process keeps running');
  } finally {
    await dc.stop();
    server.process.kill('SIGKILL');
  }
});

test('launch a program with an action: started by the one launcher, hunted, and killed at the end', async () => {
  const program = path.join(REPO, 'test', 'fixtures', 'inspector', 'leaky-program.cjs');
  const { dc, report, terminated } = await startClient();
  try {
    await dc.launchRequest({
      program,
      action: 'work()',
      iterations: 4,
    } as DebugProtocol.LaunchRequestArguments);
    const outcome = await report;
    await terminated;
    assert.ok(
      outcome.report.leaks.some((l) => l.name === 'ProgramLeak'),
      outcome.report.leaks.map((l) => l.name).join(),
    );
    assert.deepEqual(processesMentioning('leaky-program.cjs'), [], 'the program was killed');
  } finally {
    await dc.stop();
  }
});
