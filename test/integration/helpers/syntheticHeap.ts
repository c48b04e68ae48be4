// A synthetic heap of a chosen size for the parity test, written by v8.writeHeapSnapshot in a
// child Node process. Deterministic (seeded), and built from the shapes on which analyzers
// disagree when they get a rule wrong: cycles, Map/Set/WeakMap entries (half the WeakMap keys
// held only weakly), closures with chains of contexts, long linked lists (deep distances and
// dominator chains), shared sub-objects (several retainers, so the dominator is not the parent),
// typed arrays and their buffers, cons/sliced/two-byte strings, and a listener registry keeping
// detached objects alive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeRun, runNode } from './proc';

const PROGRAM = String.raw`'use strict';
const v8 = require('v8');
const [out, unitsText] = process.argv.slice(2);
const units = Number(unitsText);

let seed = 0x9e3779b9;
function rand() { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; }
const pick = (n) => Math.floor(rand() * n);

class Address { constructor(i) { this.street = 'street ' + i; this.city = ['Oslo', 'Lima', 'Pune', 'Kobe'][i % 4]; } }
class Customer {
  constructor(i, shared) { this.id = i; this.name = 'customer-' + i + '-' + pick(1e6); this.address = new Address(i);
    this.orders = []; this.region = shared; }
}
class Order {
  constructor(id, customer) { this.id = id; this.customer = customer; this.items = []; this.total = 0; this.prev = null; }
}
class LineItem { constructor(order, sku, qty) { this.order = order; this.sku = sku; this.qty = qty; this.price = qty * 1.25 + sku / 7; } }
class Node { constructor(value, next) { this.value = value; this.next = next; } }
class Widget { constructor(i) { this.i = i; this.payload = Array.from({ length: 16 }, (_, k) => ({ k, i })); this.buf = new ArrayBuffer(256); } }

const heap = globalThis.syntheticHeap = { customers: [], byName: new Map(), tags: new Set(), notes: new WeakMap(),
  weakKeys: [], closures: [], lists: [], strings: [], numbers: [], typed: [] };
const regions = Array.from({ length: 8 }, (_, i) => ({ region: 'r' + i, rates: [i, i * 1.5] }));
const base = 'The quick brown fox jumps over the lazy dog, again and again. '.repeat(20);

function counterChain(depth, payload) {
  let inner = () => payload;
  for (let d = 0; d < depth; d++) { const prev = inner; const local = { d }; inner = () => [prev, local]; }
  return inner;
}

for (let u = 0; u < units; u++) {
  const customer = new Customer(u, regions[u % regions.length]);
  heap.customers.push(customer);
  heap.byName.set(customer.name, customer);
  let prev = null;
  for (let o = 0; o < 6; o++) {
    const order = new Order(u * 6 + o, customer);
    order.prev = prev; prev = order;
    for (let l = 0; l < 4; l++) { const item = new LineItem(order, pick(5000), 1 + pick(9)); order.items.push(item); order.total += item.price; }
    customer.orders.push(order);
  }
  heap.tags.add('tag-' + (u % 97));
  const key = { u };
  heap.notes.set(key, { memo: 'note ' + u, data: [u, u + 1, u + 2] });
  if (u % 2 === 0) heap.weakKeys.push(key);
  heap.closures.push(counterChain(1 + (u % 5), { u }));
  heap.strings.push(base.slice(u % 50, 200 + (u % 300)), base + u, 'ünïcödé ✓ ' + u, 'x'.repeat(300 + pick(2700)));
  heap.numbers.push([u, u + 1, u + 2], [u + 0.5, u * 1.5]);
  if (u % 4 === 0) heap.typed.push(new Float64Array(32), new Uint8Array(new ArrayBuffer(512), 16, 64));
}

for (const depth of [2000, 5000]) {
  let list = null;
  for (let i = 0; i < depth; i++) list = new Node(i, list);
  heap.lists.push(list);
}
const ring = { name: 'ring-0' }; let at = ring;
for (let i = 1; i < 500; i++) { at.next = { name: 'ring-' + i, prev: at }; at = at.next; }
at.next = ring; heap.lists.push(ring);

// The leak: listeners registered on a global registry keep detached widgets alive.
globalThis.leakRegistry = { listeners: [] };
for (let i = 0; i < Math.max(10, units >> 4); i++) {
  const widget = new Widget(i);
  globalThis.leakRegistry.listeners.push(() => widget.i);
}

v8.writeHeapSnapshot(out);
`;

// Snapshot bytes per unit of the program above, measured on Node 20 (about 9.5 KB), plus Node's
// own heap and the lists (about 4.3 MB). The figure only sets the size roughly; the test prints the real size.
const BYTES_PER_UNIT = 9_500;
const NODE_BASE_BYTES = 4_300_000;

/** A synthetic snapshot of about sizeMb (never below about 4.5 MB). */
export async function makeSyntheticSnapshot(dir: string, sizeMb: number): Promise<string> {
  const prog = path.join(dir, 'synthetic.js');
  const out = path.join(dir, `synthetic-${sizeMb}mb.heapsnapshot`);
  fs.writeFileSync(prog, PROGRAM);
  const units = Math.max(10, Math.round((sizeMb * 1_000_000 - NODE_BASE_BYTES) / BYTES_PER_UNIT));
  const r = await runNode(['--max-old-space-size=4096', prog, out, String(units)], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error(describeRun('synthetic heap program', r));
  return out;
}
