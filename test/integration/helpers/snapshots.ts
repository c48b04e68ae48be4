// Snapshot producers for the parity test.  Each one yields a file made by a real
// V8 the way users make them, because parity on hand-written fixtures says little:
// the hard cases (WeakMap ephemerons, shallow-size reassignment of hidden/array
// nodes, native contexts, allocation traces) only appear in real heaps.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import WebSocket from 'ws';
import { describeRun, runNode } from './proc';

// A small but varied program: every construct here produces a node/edge shape the
// analyzer has to get right (private fields, ephemerons, contexts, suspended
// generators/async functions, externals, dictionary-mode objects, two-byte/cons/
// sliced strings, heap numbers, holey arrays...).
const PROGRAM = String.raw`'use strict';
const v8 = require('v8');
const { EventEmitter } = require('events');

class Owner { constructor(name) { this.name = name; this.accounts = new Set(); } }
class Account {
  #secret;
  constructor(id, owner) { this.id = id; this.owner = owner; this.#secret = 'k' + id; this.tx = []; }
  get secret() { return this.#secret; }
}
class Savings extends Account { constructor(id, owner, rate) { super(id, owner); this.rate = rate; } }

const keep = globalThis.keep = { owners: [], byId: new Map(), notes: new WeakMap(), weakKeys: [], misc: {} };
for (let i = 0; i < 400; i++) {
  const o = new Owner('owner-' + i + '-' + 'x'.repeat(i % 7));
  keep.owners.push(o);
  for (let k = 0; k < 3; k++) {
    const a = k === 2 ? new Savings(i * 3 + k, o, 0.25 * k + i / 1000) : new Account(i * 3 + k, o);
    o.accounts.add(a);
    keep.byId.set(a.id, a);
    for (let j = 0; j < 4; j++) a.tx.push({ amount: j * 1.5 + i, at: new Date(1.7e12 + j * 1000) });
  }
  // ephemerons: the key is held only by keep.weakKeys, the value only through the WeakMap
  if (i % 3 === 0) { const key = { k: i }; keep.weakKeys.push(key); keep.notes.set(key, { memo: 'memo ' + i, arr: [i, i + 1] }); }
}

function makeCounter(start) {
  let n = start; const log = [];
  return { inc: () => { log.push(n); return ++n; }, get: function get() { return n; } };
}
function nest(depth) { const here = { depth }; if (!depth) return () => here; const inner = nest(depth - 1); return () => [here, inner]; }
keep.misc.counters = Array.from({ length: 50 }, (_, i) => makeCounter(i));
keep.misc.nested = nest(12);

const bus = new EventEmitter();
for (let i = 0; i < 30; i++) { const big = new Array(32).fill(i); bus.on('evt' + (i % 5), () => big.length); }
keep.misc.bus = bus;

function* gen() { let i = 0; while (true) yield { i: i++ }; }
const g = gen(); g.next(); keep.misc.gen = g;
keep.misc.pending = new Promise(() => {});
keep.misc.resolved = Promise.resolve({ done: true });
async function waiter(p) { const local = { waiting: true }; await p; return local; }
keep.misc.suspended = waiter(keep.misc.pending);

const base = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
keep.misc.strings = {
  sliced: base.slice(13, 200),
  cons: base + String(Math.random()),
  twoByte: 'héllo wörld ✓ ' + 'ü'.repeat(100),
  long: 'L'.repeat(5000),
  internalized: 'owner-1',
};
keep.misc.numbers = { d: 3.14159, big: 2n ** 80n, arr: [1.5, 2.5, 3.5], smis: [1, 2, 3], holey: [1, , 3], sparse: [] };
keep.misc.numbers.sparse[100000] = 1;
const dict = {}; for (let i = 0; i < 200; i++) dict['p' + i] = i; for (let i = 0; i < 100; i++) delete dict['p' + (i * 2)];
keep.misc.dict = dict;
keep.misc.frozen = Object.freeze({ a: 1, b: [2] });
keep.misc.sym = { [Symbol('tag')]: 'symbol-keyed', [Symbol.for('shared')]: 1 };
keep.misc.re = /ab+c/gi;
keep.misc.err = new Error('kept error');
keep.misc.proxy = new Proxy({ target: true }, { get: (t, k) => t[k] });
keep.misc.weakRef = new WeakRef(keep.owners[0]);
keep.misc.registry = new FinalizationRegistry(() => {});
keep.misc.registry.register(keep.owners[1], 'held');
keep.misc.buffers = { buf: Buffer.alloc(4096, 1), ab: new ArrayBuffer(1024), sab: new SharedArrayBuffer(256),
  f64: new Float64Array(64), view: new DataView(new ArrayBuffer(32)), u8: new Uint8Array(300) };
keep.misc.timer = setTimeout(() => {}, 1e9);
keep.misc.timer.unref();

v8.writeHeapSnapshot(process.argv[2]);
`;

/** (a) v8.writeHeapSnapshot() inside a real Node program run as a child process. */
export async function makeProgramSnapshot(dir: string): Promise<string> {
  const prog = path.join(dir, 'program.js');
  const out = path.join(dir, 'program.heapsnapshot');
  fs.writeFileSync(prog, PROGRAM);
  const r = await runNode([prog, out], { cwd: dir, timeoutMs: 60_000 });
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error(describeRun('snapshot program', r));
  return out;
}

// The inspected child: work happens on request (Runtime.evaluate), after
// allocation tracking is on, so the snapshot carries a real trace tree.
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
setInterval(() => {}, 1 << 30);
`;

type CdpMessage = { id?: number; method?: string; params?: { chunk?: string }; result?: unknown; error?: { message: string } };

/**
 * (b) A snapshot taken over the inspector protocol with allocation tracking on,
 * the way DevTools' "Allocation instrumentation on timeline" produces one: its
 * nodes have a trace_node_id field and the file has trace_function_infos /
 * trace_tree sections, which a parser must cope with.
 */
export async function makeInspectorSnapshot(dir: string): Promise<string> {
  const prog = path.join(dir, 'inspected.js');
  const out = path.join(dir, 'inspector-tracking.heapsnapshot');
  fs.writeFileSync(prog, INSPECTED);
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', prog], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector did not start:\n${stderr}`)), 30_000);
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /Debugger listening on (ws:\/\/\S+)/.exec(stderr);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`inspected child exited (${code}) before the inspector started:\n${stderr}`)); });
    });

    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    let nextId = 1;
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
    const chunks: string[] = [];
    // Chunks belong to our snapshot only until takeHeapSnapshot's response arrives
    // (V8 sends all chunks first).  stopTrackingHeapObjects streams another whole
    // snapshot afterwards; appending it would corrupt the file.
    let collecting = false;
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as CdpMessage;
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') {
        if (collecting && msg.params?.chunk !== undefined) chunks.push(msg.params.chunk);
        return;
      }
      if (msg.id === undefined) return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    const send = (method: string, params: object = {}): Promise<unknown> => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      ws.send(JSON.stringify({ id, method, params }));
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.once('close', () => { for (const p of pending.values()) p.reject(new Error(`inspector closed during ${p.method}`)); });

    // The inspector is up before the program has run its first line: wait (bounded) until
    // it has defined doWork.
    for (const deadline = Date.now() + 20_000; ;) {
      const probe = (await send('Runtime.evaluate', { expression: 'typeof globalThis.doWork', returnByValue: true })) as { result?: { value?: unknown } };
      if (probe.result?.value === 'function') break;
      if (Date.now() > deadline) throw new Error('the inspected program never defined doWork');
      await new Promise((r) => setTimeout(r, 25));
    }
    await send('HeapProfiler.enable');
    await send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
    const work = (await send('Runtime.evaluate', { expression: 'doWork(6)', returnByValue: true })) as { result?: { value?: unknown }; exceptionDetails?: unknown };
    if (work.exceptionDetails) throw new Error(`doWork threw: ${JSON.stringify(work.exceptionDetails)}`);
    collecting = true;
    await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    collecting = false;
    await send('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
    ws.close();
    await closed;

    const text = chunks.join('');
    if (!text.includes('"trace_function_infos"') || !/"trace_node_id"/.test(text.slice(0, 2000))) {
      throw new Error('inspector snapshot has no allocation-tracking data (trace_node_id / trace_function_infos)');
    }
    fs.writeFileSync(out, text);
    return out;
  } finally {
    child.kill('SIGKILL');
  }
}
