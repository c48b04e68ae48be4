// The CLI as a person runs it: the built bundle in a child process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, SHAPES_PROGRAM, snapshotOf, tempDir } from '../helpers/snapshots';

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('summary lists classes by retained size, as text and as JSON', () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const text = run('summary', file);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Class\s+Count\s+Self size\s+Retained size/m);
  assert.match(text.out, /^Book\s+231\s/m);
  const json = JSON.parse(run('summary', file, '--json').out);
  const book = json.classes.find((c: { name: string }) => c.name === 'Book');
  assert.equal(book.count, 231);
  assert.ok(book.retainedSize >= book.selfSize);
});

test('retainers draws the chain from a GC root to the object', () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const r = run('retainers', file, '--class', 'Shelf');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\(GC roots\)/);
  assert.match(r.out, /\.shelf → Shelf @\d+/);
  const id = Number(/Shelf @(\d+)/.exec(r.out)![1]);
  const json = JSON.parse(run('retainers', file, '--id', String(id), '--json').out);
  const steps = json.paths[0] as { edge: string | null; node: string }[];
  assert.equal(steps[0].edge, null);
  assert.equal(steps[0].node, '(GC roots)');
  assert.deepEqual(steps[steps.length - 1], { edge: 'shelf', node: 'Shelf', id });
  // The context-variable path of the counter closure's Book.
  const ctx = run('retainers', file, '--id', String(id), '--paths', '1');
  assert.equal(ctx.code, 0);
});

test('diff shows growth by class between two snapshots of one process', () => {
  const d = tempDir();
  const program = path.join(d, 'grow.js');
  fs.writeFileSync(
    program,
    `
    const v8 = require('v8'); class Order { constructor(i) { this.i = i; } }
    globalThis.orders = [];
    v8.writeHeapSnapshot(${JSON.stringify(path.join(d, 'a.heapsnapshot'))});
    for (let i = 0; i < 500; i++) orders.push(new Order(i));
    v8.writeHeapSnapshot(${JSON.stringify(path.join(d, 'b.heapsnapshot'))});`,
  );
  spawnSync(process.execPath, [program], { timeout: 60_000 });
  const r = run('diff', path.join(d, 'a.heapsnapshot'), path.join(d, 'b.heapsnapshot'), '--json');
  assert.equal(r.code, 0, r.err);
  const order = JSON.parse(r.out).classes.find((c: { name: string }) => c.name === 'Order');
  assert.equal(order.countDelta, 500);
  assert.equal(order.added, 500);
});

test('nodes --tsv writes one row per node in the oracle format', () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const out = path.join(tempDir(), 'nodes.tsv');
  const r = run('nodes', file, '--tsv', out);
  assert.equal(r.code, 0, r.err);
  const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'node_id\tself_size\tretained_size\tdistance');
  assert.match(lines[1], /^\d+\t\d+\t\d+\t-?\d+$/);
});

test('bad input gives a clear message and a non-zero exit, never a stack trace', () => {
  const d = tempDir();
  const truncated = path.join(d, 'truncated.heapsnapshot');
  fs.writeFileSync(truncated, fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM)).subarray(0, 5000));
  for (const [args, pattern] of [
    [['summary', truncated], /ends early .*at byte 5000.*\[truncated\]/],
    [['summary', path.join(d, 'missing.heapsnapshot')], /no such file/i],
    [['summary', path.join(REPO_PACKAGE())], /not a V8 heap snapshot/],
    [['retainers', truncated], /--id/],
    [['frobnicate'], /unknown command/],
  ] as const) {
    const r = run(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, pattern);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
});

function REPO_PACKAGE(): string {
  return path.join(__dirname, '..', '..', '..', 'package.json');
}
