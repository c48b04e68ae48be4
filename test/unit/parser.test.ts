import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SnapshotParser } from '../../src/core/parser';
import { HeapSnapshot } from '../../src/core/snapshot';
import { SHAPES_PROGRAM, snapshotOf } from '../helpers/snapshots';

function parseWhole(bytes: Buffer): HeapSnapshot {
  const p = new SnapshotParser();
  p.write(bytes);
  return p.end();
}

/** A tiny deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function assertSameSnapshot(a: HeapSnapshot, b: HeapSnapshot): void {
  assert.equal(a.nodeCount, b.nodeCount);
  assert.equal(a.edgeCount, b.edgeCount);
  assert.deepEqual(a.nodeId, b.nodeId);
  assert.deepEqual(a.nodeSelfSize, b.nodeSelfSize);
  assert.deepEqual(a.nodeType, b.nodeType);
  assert.deepEqual(a.firstEdge, b.firstEdge);
  assert.deepEqual(a.edgeTarget, b.edgeTarget);
  assert.deepEqual(a.edgeNameOrIndex, b.edgeNameOrIndex);
  assert.deepEqual(a.strings.toArray(), b.strings.toArray());
}

test('a real snapshot parses to exactly what JSON.parse reads', () => {
  const file = snapshotOf('shapes', SHAPES_PROGRAM);
  const bytes = fs.readFileSync(file);
  const s = parseWhole(bytes);
  const json = JSON.parse(bytes.toString('utf8'));
  const meta = json.snapshot.meta;
  const nf: number = meta.node_fields.length;
  assert.equal(s.nodeCount, json.snapshot.node_count);
  assert.equal(s.edgeCount, json.snapshot.edge_count);
  const strings = s.strings.toArray();
  assert.deepEqual(strings, json.strings, 'every string, escapes and surrogates included');
  for (let i = 0; i < s.nodeCount; i += 97) {
    assert.equal(s.nodeId[i], json.nodes[i * nf + meta.node_fields.indexOf('id')]);
    assert.equal(s.nodeSelfSize[i], json.nodes[i * nf + meta.node_fields.indexOf('self_size')]);
    assert.equal(s.nodeNameString(i), json.strings[json.nodes[i * nf + meta.node_fields.indexOf('name')]]);
  }
  for (let e = 0; e < s.edgeCount; e += 101) assert.equal(s.edgeTarget[e] * nf, json.edges[e * 3 + 2]);
  // V8 writes a lone surrogate as raw WTF-8 bytes; like DevTools' TextDecoder, they read as U+FFFD.
  assert.ok(strings.some((x) => x.startsWith('lone ') && x.endsWith(' surrogate')));
  assert.ok(strings.some((x) => x.includes('quote " backslash \\ tab \t newline \n')));
  // \u escapes decode (V8 itself writes astral characters as a single, wrong \u escape).
  assert.ok(strings.some((x) => x.startsWith('caf\u00e9 ') && x.endsWith(' \u2028')));
});

test('chunks cut at any byte, or at any character as CDP sends them, give the same snapshot', () => {
  const bytes = fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM));
  const whole = parseWhole(bytes);
  const random = rng(7);
  // Bytes in pieces of 1–9, which cuts every multi-byte UTF-8 character somewhere.
  const byBytes = new SnapshotParser();
  for (let at = 0; at < bytes.length;) {
    const n = 1 + Math.floor(random() * 9);
    byBytes.write(bytes.subarray(at, at + n));
    at += n;
  }
  assertSameSnapshot(whole, byBytes.end());
  // JS strings in pieces, as HeapProfiler.addHeapSnapshotChunk delivers them.
  const text = bytes.toString('utf8');
  const byChars = new SnapshotParser();
  for (let at = 0; at < text.length;) {
    const n = 1 + Math.floor(random() * 5000);
    byChars.write(text.slice(at, at + n));
    at += n;
  }
  assertSameSnapshot(whole, byChars.end());
});

test('meta is read by field name: reordered fields, six node fields, unknown fields and keys', () => {
  const bytes = fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM));
  const original = parseWhole(bytes);
  const json = JSON.parse(bytes.toString('utf8'));
  const meta = json.snapshot.meta;
  const oldFields: string[] = meta.node_fields;
  // Drop detachedness and trace_node_id, reverse the rest, add a field nobody knows.
  const kept = oldFields.filter((f) => f !== 'detachedness' && f !== 'trace_node_id').reverse();
  const newFields = [...kept, 'future_field'];
  const newTypes = newFields.map((f) =>
    f === 'future_field' ? 'number' : meta.node_types[oldFields.indexOf(f)],
  );
  const nodes: number[] = [];
  for (let i = 0; i < json.snapshot.node_count; i++) {
    for (const f of newFields)
      nodes.push(f === 'future_field' ? 42 : json.nodes[i * oldFields.length + oldFields.indexOf(f)]);
  }
  const edges = (json.edges as number[]).slice();
  for (let e = 2; e < edges.length; e += 3) edges[e] = (edges[e] / oldFields.length) * newFields.length;
  const rewritten = {
    future_section: { a: [1, 2, { b: '}' }] },
    // a scalar right before a closing bracket (once lost that bracket), and a bare scalar
    future_numbers: [1, 2],
    future_object: { n: 5, m: [true, null] },
    future_flag: true,
    snapshot: {
      ...json.snapshot,
      meta: { ...meta, node_fields: newFields, node_types: newTypes, unknown_meta: ['x'] },
    },
    nodes,
    edges,
    strings: json.strings,
    trailing_unknown: 'ok',
  };
  const s = parseWhole(Buffer.from(JSON.stringify(rewritten)));
  assert.equal(s.nodeTraceId, null);
  assert.deepEqual(s.nodeId, original.nodeId);
  assert.deepEqual(s.nodeSelfSize, original.nodeSelfSize);
  assert.deepEqual(s.edgeTarget, original.edgeTarget);
});

test('a strings section longer than the longest possible JS string still parses', () => {
  // 540 strings of a million characters: 540M characters, past V8's 2^29 - 24 limit, fed
  // as a stream so no file is needed.
  const p = new SnapshotParser();
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
    node_types: [['hidden', 'object', 'synthetic', 'string'], 'string', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['property', 'element', 'weak'], 'string_or_number', 'node'],
  };
  const count = 540;
  p.write(
    `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${count + 1},"edge_count":${count}},"nodes":[2,0,1,0,${count}`,
  );
  for (let i = 0; i < count; i++) p.write(`,3,${i + 1},${3 + 2 * i},1000000,0`);
  p.write('],"edges":[');
  for (let i = 0; i < count; i++) p.write(`${i ? ',' : ''}1,${i},${(i + 1) * 5}`);
  p.write('],"strings":["(root)"');
  const chunk = Buffer.alloc(1 << 20, 'a');
  for (let i = 0; i < count; i++) {
    p.write(',"');
    p.write(chunk.subarray(0, 500_000));
    p.write(chunk.subarray(0, 500_000));
    p.write('"');
  }
  p.write(']}');
  const s = p.end();
  assert.equal(s.strings.length, count + 1);
  let total = 0;
  for (let i = 0; i < s.strings.length; i++) total += s.strings.get(i).length;
  assert.ok(total > 2 ** 29, `strings hold ${total} characters`);
  assert.equal(s.strings.get(count).length, 1_000_000);
});
