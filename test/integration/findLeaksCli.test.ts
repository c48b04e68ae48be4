// find-leaks as a person runs it, on the paths that go wrong and on attach mode: a clear
// message, a non-zero exit within a bounded time, and no process left behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, REPO, tempDir } from '../helpers/snapshots';
import { processesMentioning, startInspectServer } from '../helpers/processes';

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'inspector');

function findLeaks(...args: string[]): { code: number | null; out: string; err: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'find-leaks', ...args, '--quiet'], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: REPO,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}

test('a scenario without action, one that throws, or a missing file: a clear message, non-zero exit, nothing left running', () => {
  const cases: [string, RegExp][] = [
    [path.join(FIXTURES, 'no-action.cjs'), /action/],
    [path.join(FIXTURES, 'throws.cjs'), /threw/],
  ];
  for (const [scenario, message] of cases) {
    const r = findLeaks(scenario);
    assert.equal(r.code, 1, `${scenario}: ${r.err}`);
    assert.match(r.err, message);
    assert.doesNotMatch(
      r.err,
      /dist\/(cli|harness)\.js|src\/(hunt|inspector|cli)\//,
      'no stack frames of ours',
    );
    assert.ok(r.ms < 60_000, `bounded time (${r.ms} ms)`);
    assert.deepEqual(processesMentioning(scenario), [], 'no debuggee left behind');
  }
  const missing = findLeaks(path.join(tempDir(), 'nope.js'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no scenario file/);
  const bad = findLeaks(path.join(FIXTURES, 'leaky.cjs'), '--iterations', '1');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--iterations/);
});

test('a closed port and a non-loopback host are refused with a clear message', () => {
  const closed = findLeaks('--attach', '127.0.0.1:1', '--action', '1');
  assert.equal(closed.code, 1, closed.err);
  assert.match(closed.err, /127\.0\.0\.1:1/);
  assert.ok(closed.ms < 30_000);
  // Refused with the arguments, before any connection is tried: nothing leaves this machine.
  const remote = findLeaks('--attach', '192.0.2.10:9229', '--action', '1');
  assert.equal(remote.code, 2, remote.err);
  assert.match(remote.err, /loopback/i);
});

test('attach to a running server, repeat an HTTP request, and find its leak; the server keeps running', async () => {
  const server = await startInspectServer();
  try {
    const { inspectPort, httpPort } = server;
    const json = path.join(tempDir(), 'attach.json');
    const r = findLeaks(
      '--attach',
      `127.0.0.1:${inspectPort}`,
      '--request',
      `http://127.0.0.1:${httpPort}/work`,
      '--iterations',
      '4',
      '--json',
      json,
    );
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.ok(
      report.leaks.some((l: { name: string }) => l.name === 'HeapLensRequestLeak'),
      JSON.stringify(report.leaks.map((l: { name: string }) => l.name)),
    );
    assert.equal(server.process.exitCode, null, 'the attached process is left running');
  } finally {
    server.process.kill('SIGKILL');
  }
});
