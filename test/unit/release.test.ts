// Scratch memory given back when dead (src/core/graph/release.ts): the distance search's queue
// is made so, and its pages must leave the process at once, not at the next collection.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { release, releasableUint32 } from '../../src/core/graph/release';
import { SnapshotParser } from '../../src/core/parser';
import { analyze } from '../../src/core/graph/analysis';
import { GraphBuilder } from '../helpers/graphs';

const rssMb = (): number => process.memoryUsage.rss() / 1048576;

test('a releasable array starts zeroed, and release() unmaps its pages at once', () => {
  const slots = 16 << 20; // 64 MB
  const a = releasableUint32(slots);
  assert.equal(a.length, slots);
  assert.equal(a[0] + a[slots - 1], 0);
  a.fill(7);
  const written = rssMb();
  release(a);
  assert.equal(a.length, 0);
  assert.equal(a.buffer.byteLength, 0);
  // Nothing allocates meanwhile: the drop is the array's pages (64 MB), less any noise.
  assert.ok(written - rssMb() > 48, `RSS ${written.toFixed(1)} -> ${rssMb().toFixed(1)} MB`);
});

test('release() leaves an ordinary array as it is', () => {
  const a = new Uint32Array(8).fill(3);
  release(a);
  assert.deepEqual([...a], [3, 3, 3, 3, 3, 3, 3, 3]);
});

test('the distance search grows its releasable queue when a level is wider than half the heap', () => {
  // A global holding 3,000 objects: one level of 3,000 in a heap of 3,002, past the queue's
  // first size (half the nodes), so the search moves to a wider queue and gives the first back.
  const b = new GraphBuilder();
  const g = b.global();
  const wide = 3000;
  for (let i = 0; i < wide; i++) b.edge(g, b.node('Leaf'), 'property', `p${i}`);
  const p = new SnapshotParser();
  p.write(Buffer.from(b.json()));
  const a = analyze(p.end());
  const { nodeId } = a.snapshot;
  let leaves = 0;
  for (let o = 0; o < a.snapshot.nodeCount; o++) {
    if (nodeId[o] === b.id(g)) assert.equal(a.distance[o], 1);
    else if (o !== a.snapshot.rootOrdinal) {
      assert.equal(a.distance[o], 2, `@${nodeId[o]}`);
      leaves++;
    }
  }
  assert.equal(leaves, wide);
});
