// The edge thread (src/core/parse/edgeSplit.ts, edgeTail.ts): a file whose "edges" a second
// thread reads backward from its end gives the very same columns as one thread, wherever the
// two meet and however the reads are cut, and a broken or miscounted "edges" gives the error
// one thread gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadSnapshotFile } from '../../src/core/load';
import { HeapSnapshot } from '../../src/core/snapshot';
import { SnapshotError } from '../../src/core/errors';
import { bytesOf, PARSED_COLUMNS, SHAPES_PROGRAM, snapshotOf, tempDir } from '../helpers/snapshots';

function assertSame(a: HeapSnapshot, b: HeapSnapshot): void {
  assert.equal(a.nodeCount, b.nodeCount);
  assert.equal(a.edgeCount, b.edgeCount);
  for (const k of PARSED_COLUMNS) assert.ok(bytesOf(a[k]).equals(bytesOf(b[k])), `${k} differs`);
  assert.deepEqual(a.strings.toArray(), b.strings.toArray());
}

async function load(
  file: string,
  split: boolean,
  share = 0.5,
): Promise<{ s: HeapSnapshot; adopted: number }> {
  let adopted = -1;
  const s = await loadSnapshotFile(file, {
    splitMinBytes: split ? 0 : Infinity,
    splitShare: share,
    chunkSize: 4096,
    onEdgeThread: (n) => (adopted = n),
  });
  return { s, adopted };
}

/** The error a load ends in, as "code: message", or "loaded". */
async function loadError(file: string, split: boolean): Promise<string> {
  try {
    await load(file, split);
  } catch (e) {
    assert.ok(e instanceof SnapshotError);
    return `${e.code}: ${e.message}`;
  }
  return 'loaded';
}

/** The snapshot rewritten with its edges laid out by `layout` (V8 puts a newline after each record). */
function relaid(name: string, layout: (edges: number[]) => string, edit?: (edges: number[]) => void): string {
  const json = JSON.parse(fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM), 'utf8'));
  edit?.(json.edges);
  const edges = layout(json.edges);
  const text = JSON.stringify({ ...json, edges: 0 }).replace('"edges":0', `"edges":[${edges}]`);
  const file = path.join(tempDir(), `${name}.heapsnapshot`);
  fs.writeFileSync(file, text);
  return file;
}

const everyN = (n: number) => (edges: number[]) =>
  edges.map((v, i) => (i > 0 && i % n === 0 ? `\n,${v}` : i > 0 ? `,${v}` : `${v}`)).join('');

test('the edge thread reads the tail of "edges" and the columns equal one thread\'s, wherever the cut is', async () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const { s: one, adopted: none } = await load(file, false);
  assert.equal(none, 0);
  for (const share of [0.05, 0.3, 0.5, 0.8, 1]) {
    const { s, adopted } = await load(file, true, share);
    assert.ok(adopted < one.edgeCount, `share ${share}: the thread read all ${adopted} edges`);
    // the thread's plan comes in time unless its part starts near "edges" (then one thread reads)
    if (share <= 0.5) assert.ok(adopted > 0, `share ${share}: the thread read nothing`);
    assertSame(s, one);
  }
});

test('the thread finds record boundaries by its own count: newlines anywhere or none, the same columns', async () => {
  const one = (await load(snapshotOf('shapes', SHAPES_PROGRAM), false)).s;
  // newlines after every second number (V8 puts one after each record), and none at all
  for (const [name, layout] of [
    ['every2', everyN(2)],
    ['compact', (e: number[]) => e.join(',')],
  ] as const) {
    const file = relaid(name, layout);
    for (const share of [0.1, 0.37, 1]) {
      const { s, adopted } = await load(file, true, share);
      assert.ok(adopted > 0, `${name} at ${share}: the thread read nothing`);
      assertSame(s, one);
    }
  }
});

test("wherever the two threads meet and however the reads are cut, the columns are one thread's", async () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const one = (await load(file, false)).s;
  for (const chunkSize of [997, 65536, 1 << 20])
    for (const share of [0.02, 0.21, 0.61]) {
      let adopted = -1;
      const s = await loadSnapshotFile(file, {
        splitMinBytes: 0,
        splitShare: share,
        chunkSize,
        onEdgeThread: (n) => (adopted = n),
      });
      assert.ok(adopted > 0, `chunks of ${chunkSize}, share ${share}: the thread read nothing`);
      assertSame(s, one);
    }
});

test('a file whose "edges" the thread cannot take gives the error one thread gives', async () => {
  const cases: [string, (edges: number[]) => string][] = [
    ['one record too many', (e) => everyN(3)([...e, 1, 1, 0])],
    ['one record too few', (e) => everyN(3)(e.slice(0, -3))],
    ['a number too many', (e) => everyN(3)([...e, 7])],
    ['a trailing comma', (e) => everyN(3)(e) + ','],
    ['a minus sign', (e) => everyN(3)(e).replace(/,(\d+)$/, ',-$1')],
    ['two numbers without a comma', (e) => everyN(3)(e).replace(/,(\d+)$/, ', 1 $1')],
    ['a number of 16 digits', (e) => everyN(3)(e).replace(/,(\d+)$/, ',1000000000000000$1')],
  ];
  for (const [name, layout] of cases) {
    const file = relaid(name.replace(/ /g, '-'), layout);
    const one = await loadError(file, false);
    assert.notEqual(one, 'loaded', name);
    assert.equal(await loadError(file, true), one, name);
  }
});

test("a broken edge in the thread's part gives the error one thread gives", async () => {
  const file = relaid('broken', everyN(3), (edges) => {
    edges[edges.length - 1] = 3; // a target that is no node's offset
  });
  const one = await loadError(file, false);
  assert.match(one, /^out-of-range: edge \d+ points to node offset 3/);
  assert.equal(await loadError(file, true), one);
});

test("an edge naming a string past the table in the thread's part gives the error one thread gives", async () => {
  const json = JSON.parse(fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM), 'utf8'));
  const f = json.snapshot.meta.edge_fields.length;
  const types: string[] = json.snapshot.meta.edge_types[0];
  const property = types.indexOf('property');
  // the last property edge: in the part at any share, and checked only against the largest name
  let last = -1;
  for (let i = 0; i < json.edges.length; i += f) if (json.edges[i] === property) last = i;
  const file = relaid('farName', everyN(3), (edges) => {
    edges[last + 1] = json.strings.length + 7;
  });
  const one = await loadError(file, false);
  const expected = `out-of-range: edge ${last / f} names string ${json.strings.length + 7}, but there are only ${json.strings.length} strings`;
  assert.ok(one.startsWith(expected), one);
  assert.equal(await loadError(file, true), one);
});

test('bytes changed anywhere in "edges" give one thread\'s result or error, wherever the threads meet', async () => {
  const json = JSON.parse(fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM), 'utf8'));
  const text = Buffer.from(
    JSON.stringify({ ...json, edges: 0 }).replace('"edges":0', `"edges":[${everyN(3)(json.edges)}]`),
  );
  const start = text.indexOf('"edges":[') + 9;
  const end = text.indexOf(']', start);
  let seed = 12345;
  const next = (n: number): number => (seed = (seed * 1664525 + 1013904223) >>> 0) % n;
  const alphabet = Buffer.from('0123456789,, \n-]x');
  for (let k = 0; k < 16; k++) {
    const m = Buffer.from(text);
    for (let flips = 1 + next(3); flips > 0; flips--)
      m[start + next(end - start)] = alphabet[next(alphabet.length)];
    const file = path.join(tempDir(), `flipped${k}.heapsnapshot`);
    fs.writeFileSync(file, m);
    const one = await loadError(file, false);
    const share = [0.1, 0.4, 1][k % 3];
    let two: string;
    try {
      const { s } = await load(file, true, share);
      two = 'loaded';
      if (one === 'loaded') assertSame(s, (await load(file, false)).s);
    } catch (e) {
      assert.ok(e instanceof SnapshotError);
      two = `${e.code}: ${e.message}`;
    }
    assert.equal(two, one, `flips #${k}`);
  }
});
