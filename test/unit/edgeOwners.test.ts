// The owner of an edge found from firstEdge and every 16th edge's owner, checked against the
// plain definition (the node whose firstEdge..next range holds the edge) on edge layouts a
// heap has: runs of nodes without edges (strings, numbers) long and short, nodes with
// thousands of edges (arrays), and blocks boundaries falling anywhere.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeOwnerBlocks, edgeOwnerOf } from '../../src/core/graph/edgeOwners';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function layout(random: () => number, nodeCount: number): Uint32Array {
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let o = 0; o < nodeCount; o++) {
    const r = random();
    // Half without edges, most with a few, some with many (an array's elements).
    const edges = r < 0.5 ? 0 : r < 0.97 ? Math.floor(random() * 6) : Math.floor(random() * 3000);
    firstEdge[o + 1] = firstEdge[o] + edges;
  }
  return firstEdge;
}

test('edgeOwnerOf finds the owner of every edge', () => {
  const random = rng(7);
  let checked = 0;
  for (let round = 0; round < 40; round++) {
    const nodeCount = 1 + Math.floor(random() * 2000);
    const firstEdge = layout(random, nodeCount);
    const edgeCount = firstEdge[nodeCount];
    const owners = edgeOwnerBlocks(firstEdge, nodeCount, edgeCount);
    for (let o = 0; o < nodeCount; o++)
      for (let e = firstEdge[o]; e < firstEdge[o + 1]; e++) {
        assert.equal(edgeOwnerOf(firstEdge, owners, e), o, `round ${round}, edge ${e}`);
        checked++;
      }
  }
  assert.ok(checked > 100_000, `only ${checked} edges checked`);
});

test('edgeOwnerOf across a long run of nodes without edges and at the last edge', () => {
  const nodeCount = 100_000;
  const firstEdge = new Uint32Array(nodeCount + 1);
  // Node 0 has 3 edges, nodes 1..99998 none, the last node 20 edges.
  firstEdge.fill(3, 1);
  firstEdge[nodeCount] = 23;
  const owners = edgeOwnerBlocks(firstEdge, nodeCount, 23);
  for (let e = 0; e < 3; e++) assert.equal(edgeOwnerOf(firstEdge, owners, e), 0);
  for (let e = 3; e < 23; e++) assert.equal(edgeOwnerOf(firstEdge, owners, e), nodeCount - 1);
});
