// Snapshot producers for the parity test.  Each one yields a file made by a real
// V8 the way users make them, because parity on hand-written fixtures says little:
// the hard cases (WeakMap ephemerons, shallow-size reassignment of hidden/array
// nodes, native contexts, allocation traces) only appear in real heaps.
import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** v8.writeHeapSnapshot() inside a real Node program run as a child process. */
export async function makeProgramSnapshot(dir: string): Promise<string> {
  const prog = path.join(dir, 'program.js');
  const out = path.join(dir, 'program.heapsnapshot');
  fs.writeFileSync(prog, PROGRAM);
  const r = await runNode([prog, out], { cwd: dir, timeoutMs: 60_000 });
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error(describeRun('snapshot program', r));
  return out;
}
