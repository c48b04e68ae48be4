// Self sizes are kept 4 bytes a node while they fit 32 bits (any heap under 4 GiB), and become
// 8 bytes, with nothing lost, at the first size or folded sum that does not fit: a size V8
// wrote above 4 GiB (a huge external buffer), or internals folded into one owner past it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { GraphBuilder } from '../helpers/graphs';

function analyzed(b: GraphBuilder): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(b.json());
  return analyze(p.end());
}

test('a heap of ordinary sizes keeps them 4 bytes each', () => {
  const b = new GraphBuilder();
  const holder = b.node('Holder');
  const store = b.node('', 'array', 4000);
  b.edge(b.global(), holder, 'property', 'h').edge(holder, store, 'internal', 'elements');
  const a = analyzed(b);
  assert.ok(a.selfSize instanceof Uint32Array);
  assert.equal(a.selfSize[holder], 4016);
  assert.equal(a.selfSize[store], 0);
});

test('a size above 4 GiB is read exactly', () => {
  const b = new GraphBuilder();
  const big = b.node('system / JSArrayBufferData', 'native', 6_000_000_000);
  const small = b.node('Other', 'object', 24);
  const g = b.global();
  b.edge(g, big, 'property', 'buffer').edge(g, small, 'property', 'other');
  const a = analyzed(b);
  assert.ok(a.selfSize instanceof Float64Array);
  assert.equal(a.selfSize[big], 6_000_000_000);
  assert.equal(a.selfSize[small], 24);
  assert.equal(a.retainedSize[g], 6_000_000_000 + 24 + 16);
});

test('internals folded into one owner past 4 GiB widen the sizes and lose nothing', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const holder = b.node('Holder');
  const parts = [3_000_000_000, 2_000_000_000, 1_000_000_000];
  const stores = parts.map((size) => b.node('', 'array', size));
  b.edge(g, holder, 'property', 'h');
  stores.forEach((st, i) => b.edge(holder, st, 'internal', `part${i}`));
  const other = b.node('Other', 'object', 40);
  b.edge(g, other, 'property', 'o');
  const a = analyzed(b);
  assert.ok(a.selfSize instanceof Float64Array);
  assert.equal(a.snapshot.nodeSelfSize, a.selfSize);
  assert.equal(a.selfSize[holder], 16 + 6_000_000_000);
  for (const st of stores) assert.equal(a.selfSize[st], 0);
  assert.equal(a.selfSize[other], 40);
  assert.equal(a.retainedSize[holder], 16 + 6_000_000_000);
  assert.equal(a.retainedSize[g], 16 + 6_000_000_000 + 40 + 16);
});
