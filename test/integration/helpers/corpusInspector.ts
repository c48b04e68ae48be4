// Parity corpus cases taken over the inspector protocol, through Heap Lens' own CDP client
// (src/inspector), the way the product takes them: plain, with allocation tracking (its
// nodes carry trace_node_id and the file trace_function_infos / trace_tree), the snapshot
// that stopTrackingHeapObjects streams, paused at a breakpoint, with console messages
// holding objects (Runtime enabled: the inspector keeps what was logged), and with numeric
// values captured.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect } from '../../../src/inspector/connect';
import type { CdpClient } from '../../../src/inspector/cdp';
import {
  startTracking,
  stopTracking,
  takeSnapshot,
  TakeSnapshotOptions,
} from '../../../src/inspector/snapshot';

// The inspected program: work happens on request (Runtime.evaluate), so that what the
// snapshot holds was made after tracking started, and a breakpoint can stop it mid-work.
const INSPECTED = String.raw`'use strict';
class Item { constructor(i) { this.i = i; this.label = 'item-' + i; this.tags = [i % 3, i % 5]; } }
globalThis.tracked = [];
globalThis.doWork = function doWork(rounds) {
  for (let r = 0; r < rounds; r++) {
    const batch = new Map();
    for (let i = 0; i < 500; i++) batch.set(i, new Item(r * 500 + i));
    const summary = { round: r, total: 0, byLabel: Object.create(null) };
    for (const item of batch.values()) { summary.total += item.i; summary.byLabel[item.label] = item; }
    globalThis.tracked.push({ batch, summary, describe: () => 'round ' + r + ' total ' + summary.total });
  }
  return globalThis.tracked.length;
};
globalThis.pauseHere = function pauseHere(n) {
  const local = { n, rows: Array.from({ length: n }, (_, i) => ({ i, s: 'paused-' + i })) };
  const closure = () => local.rows.length;
  return closure() + local.n; // BREAK
};
globalThis.logSome = function logSome() {
  for (let i = 0; i < 20; i++) console.log('logged', { i, payload: new Array(100).fill(i) }, [i]);
  return 'logged';
};
globalThis.ready = true;
setInterval(() => {}, 1 << 30);
`;
const BREAK_LINE = INSPECTED.split('\n').findIndex((l) => l.includes('// BREAK'));

type Driver = (
  client: CdpClient,
  take: (options?: TakeSnapshotOptions) => Promise<void>,
  collect: { write(c: string): void },
) => Promise<void>;

/** Starts INSPECTED under --inspect on an ephemeral port, runs `drive`, writes what it collected. */
async function inspected(dir: string, name: string, drive: Driver): Promise<string> {
  const prog = path.join(dir, `${name}.js`);
  const out = path.join(dir, `${name}.heapsnapshot`);
  fs.writeFileSync(prog, INSPECTED);
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', prog], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let client: CdpClient | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector did not start:\n${stderr}`)), 30_000);
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`inspected child exited (${code}) before the inspector started:\n${stderr}`));
      });
    });
    client = await connect(url);
    // The inspector is up before the program has run its first line: wait (bounded) for it.
    for (const deadline = Date.now() + 20_000; ;) {
      const probe = await client.send('Runtime.evaluate', {
        expression: 'globalThis.ready === true',
        returnByValue: true,
      });
      if (probe.result.value === true) break;
      if (Date.now() > deadline) throw new Error('the inspected program never became ready');
      await new Promise((r) => setTimeout(r, 25));
    }
    const chunks: string[] = [];
    const collect = {
      write: (c: string) => {
        chunks.push(c);
      },
    };
    await drive(
      client,
      (options) => takeSnapshot(client!, collect, { idleTimeoutMs: 60_000, ...options }),
      collect,
    );
    if (!chunks.length) throw new Error(`${name}: no snapshot chunks arrived`);
    fs.writeFileSync(out, chunks.join(''));
    return out;
  } finally {
    client?.close();
    child.kill('SIGKILL');
  }
}

async function evaluate(client: CdpClient, expression: string): Promise<void> {
  const r = await client.send('Runtime.evaluate', { expression, returnByValue: true });
  if (r.exceptionDetails) throw new Error(`${expression} threw: ${JSON.stringify(r.exceptionDetails)}`);
}

export interface InspectorCase {
  name: string;
  make: (dir: string) => Promise<string>;
}

export const INSPECTOR_CASES: InspectorCase[] = [
  {
    name: 'inspector, no tracking',
    make: (dir) =>
      inspected(dir, 'inspector-plain', async (client, take) => {
        await evaluate(client, 'doWork(4)');
        await take();
      }),
  },
  {
    name: 'inspector, allocation tracking',
    make: async (dir) => {
      const file = await inspected(dir, 'inspector-tracking', async (client, take) => {
        await startTracking(client);
        await evaluate(client, 'doWork(6)');
        await take();
        await stopTracking(client);
      });
      const head = fs.readFileSync(file, 'utf8').slice(0, 2000);
      if (!head.includes('"trace_node_id"'))
        throw new Error('the tracked snapshot has no trace_node_id field');
      return file;
    },
  },
  {
    // The snapshot V8 streams when allocation tracking stops (a hunt keeps it as its last).
    name: 'inspector, snapshot of stopTrackingHeapObjects',
    make: (dir) =>
      inspected(dir, 'inspector-stop-tracking', async (client, _take, collect) => {
        await startTracking(client);
        await evaluate(client, 'doWork(3)');
        await stopTracking(client, { sink: collect });
      }),
  },
  {
    name: 'inspector, paused at a breakpoint',
    make: (dir) =>
      inspected(dir, 'inspector-paused', async (client, take) => {
        await client.send('Debugger.enable', {});
        await client.send('Debugger.setBreakpointByUrl', {
          lineNumber: BREAK_LINE,
          urlRegex: 'inspector-paused\\.js$',
        });
        const paused = new Promise<void>((resolve) => {
          const off = client.on('Debugger.paused', () => {
            off();
            resolve();
          });
        });
        // The evaluation stops at the breakpoint; its answer comes only after the resume.
        const running = evaluate(client, 'pauseHere(300)');
        await paused;
        // A GC request is not served while paused; the snapshot is.
        await take({ collectGarbage: false });
        await client.send('Debugger.resume', {});
        await running;
      }),
  },
  {
    // Runtime enabled: console messages keep their arguments alive, retained by the
    // inspector rather than by the program.
    name: 'inspector, console messages holding objects',
    make: (dir) =>
      inspected(dir, 'inspector-console', async (client, take) => {
        await client.send('Runtime.enable');
        await evaluate(client, 'logSome()');
        await take();
      }),
  },
  {
    name: 'inspector, numeric values captured, sampling profiler on',
    make: (dir) =>
      inspected(dir, 'inspector-numeric', async (client, take) => {
        await client.send('HeapProfiler.enable');
        await client.send('HeapProfiler.startSampling', { samplingInterval: 4096 });
        await evaluate(client, 'doWork(2); globalThis.nums = Array.from({ length: 2000 }, (_, i) => i / 7)');
        await take({ captureNumericValue: true });
        await client.send('HeapProfiler.stopSampling');
      }),
  },
];
