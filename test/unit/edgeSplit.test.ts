// The edge thread (src/core/parse/edgeSplit.ts): a file read with the tail of "edges" on a
// second thread gives the very same columns as one thread, wherever the cut falls, and a
// cut that V8's newlines would misplace, or a broken part, falls back to one thread with the
// same result or the same error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadSnapshotFile } from '../../src/core/load';
import { HeapSnapshot } from '../../src/core/snapshot';
import { SnapshotError } from '../../src/core/errors';
import { SHAPES_PROGRAM, snapshotOf, tempDir } from '../helpers/snapshots';

const bytesOf = (a: ArrayBufferView | null): Buffer =>
  a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.alloc(0);

function assertSame(a: HeapSnapshot, b: HeapSnapshot): void {
  assert.equal(a.nodeCount, b.nodeCount);
  assert.equal(a.edgeCount, b.edgeCount);
  for (const k of [
    'nodeType',
    'nodeName',
    'nodeId',
    'nodeSelfSize',
    'firstEdge',
    'nodeTraceId',
    'edgeType',
    'edgeNameOrIndex',
    'edgeTarget',
  ] as const)
    assert.ok(bytesOf(a[k]).equals(bytesOf(b[k])), `${k} differs`);
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

test('a cut after a newline that ends no record falls back to one thread, with the same columns', async () => {
  const one = (await load(snapshotOf('shapes', SHAPES_PROGRAM), false)).s;
  // newlines after every second number: two cuts in three land inside a record (3 numbers
  // each). The snapshot is a fresh one of a real process, so where the cuts fall differs from
  // run to run: twelve cuts make "every one on a record boundary" a one-in-half-a-million run.
  const file = relaid('every2', everyN(2));
  let fellBack = 0;
  for (const share of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]) {
    const { s, adopted } = await load(file, true, share);
    if (adopted === 0) fellBack++;
    assertSame(s, one);
  }
  assert.ok(fellBack > 0, 'some cut was inside a record');
  // no newline at all (a compact writer): nowhere to cut
  const compact = await load(
    relaid('compact', (e) => e.join(',')),
    true,
  );
  assert.equal(compact.adopted, 0);
  assertSame(compact.s, one);
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
