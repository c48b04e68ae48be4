// A program of the person's own, started for a hunt (src/inspector/program.ts): its unit of
// work first runs once the program has started, and nothing of it is left running.

import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { startProgram } from '../../src/inspector/program';
import type { UnitOfWork } from '../../src/inspector/attach';
import { processesMentioning } from '../helpers/processes';
import { fixture, rejectsWith } from './helpers';

const PROGRAM = fixture('slow-start.cjs');

/**
 * A loopback port nothing listens on (until the program does), below Linux's ephemeral range
 * (32768-60999): a port the system had just handed out and taken back was handed out again,
 * to another test's inspector, before the program listened on it.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/**
 * Starts the program with `work` as its unit of work, runs `warmups` of it, and checks that
 * each ran the program's work() once; the program is killed at the end.
 */
async function warmUp(args: string[], work: UnitOfWork, warmups: number): Promise<void> {
  const t = await startProgram(PROGRAM, args, work);
  try {
    await t.runWarmup(warmups);
    const r = await t.client.call('Runtime.evaluate', { expression: 'work()', returnByValue: true });
    assert.equal(r.result.value, warmups + 1, 'each warm-up, and this call, ran work() once');
  } finally {
    await t.dispose();
  }
  assert.deepEqual(processesMentioning(PROGRAM), [], 'the program was killed');
}

describe('a program started for a hunt', () => {
  it('evaluates the action only once its main module has run', async () => {
    // The inspector answers while the main module still runs (its first 800 ms): before,
    // the first warm-up threw "ReferenceError: work is not defined" there.
    await warmUp([], { kind: 'evaluate', expression: 'work()' }, 2);
  });

  it('sends the first request only once the server listens', async () => {
    const port = await freePort();
    // Before: "connect ECONNREFUSED" at the first warm-up, the server listening 1.6 s later.
    await warmUp([String(port)], { kind: 'http', url: `http://127.0.0.1:${port}/` }, 1);
  });

  it('says so within the start bound when nothing ever listens at the URL', async () => {
    const port = await freePort();
    // The program listens nowhere (no port argument).
    await rejectsWith(
      startProgram(
        PROGRAM,
        [],
        { kind: 'http', url: `http://127.0.0.1:${port}/` },
        { startTimeoutMs: 4_000 },
      ),
      'SPAWN_FAILED',
      15_000,
      new RegExp(`nothing listened on 127\\.0\\.0\\.1:${port}`),
    );
    assert.deepEqual(processesMentioning(PROGRAM), [], 'the program was killed');
  });
});
