// Two tiny snapshots on which Heap Lens once disagreed with Chrome DevTools. The expected
// figures are what DevTools' own worker prints for these files (../shared/anchors/
// devtools-oracle.mjs --dump); the parity test compares the same files against it live.
// - clique: the root → G, and A ⇄ B that nothing else reaches. A and B hang directly under
//   the root; the root retains all 130 bytes. Once, A's immediate dominator was left
//   unset (0xFFFFFFFF) and its bytes were lost from the root.
// - zeroself: the root → G → a synthetic node of 50 bytes, the root being a (synthetic)
//   member of no size. The class (synthetic) retains 50: a member that was not counted
//   (no self size) must not hide the members below it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { summarizeClasses } from '../../src/core/classes';
import { NO_DISTANCE } from '../../src/core/graph/distances';
import { REPO } from '../helpers/snapshots';

function fixture(name: string): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'snapshots', `${name}.heapsnapshot`)));
  return analyze(p.end());
}

function byId(a: HeapAnalysis, id: number): number {
  const i = a.snapshot.nodeId.indexOf(id);
  assert.ok(i >= 0, `node @${id} is in the snapshot`);
  return i;
}

test('a cycle nothing reaches hangs under the root, and the root retains it', () => {
  const a = fixture('clique');
  const root = a.snapshot.rootOrdinal;
  assert.equal(a.retainedSize[root], 130);
  for (const [id, self] of [
    [5, 10],
    [7, 20],
  ]) {
    const v = byId(a, id);
    assert.equal(a.idom[v], root, `@${id} is immediately dominated by the root`);
    assert.equal(a.retainedSize[v], self, `@${id} retains only itself`);
    assert.equal(a.distance[v], NO_DISTANCE, `@${id} has no distance`);
  }
  for (let v = 0; v < a.snapshot.nodeCount; v++)
    assert.ok(a.idom[v] < a.snapshot.nodeCount, `idom of ${v} is a node`);
  const rows = new Map(summarizeClasses(a).map((r) => [r.name, r]));
  assert.equal(rows.get('A')?.retainedSize, 10);
  assert.equal(rows.get('B')?.retainedSize, 20);
});

test('a class member with no self size does not hide the members it dominates', () => {
  const a = fixture('zeroself');
  assert.equal(a.retainedSize[a.snapshot.rootOrdinal], 150);
  const rows = new Map(summarizeClasses(a).map((r) => [r.name, r]));
  assert.equal(rows.get('(synthetic)')?.count, 1);
  assert.equal(rows.get('(synthetic)')?.retainedSize, 50);
  for (const r of rows.values())
    assert.ok(r.retainedSize >= r.selfSize, `${r.name}: retained ${r.retainedSize} ≥ self ${r.selfSize}`);
});
