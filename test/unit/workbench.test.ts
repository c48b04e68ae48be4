// The workbench's analyses on hand-made graphs, where every right answer is known.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { snapshotJson, TestEdge, TestNode } from '../helpers/graphs';
import { findSuspects } from '../../src/core/workbench/suspects';
import { DominatorTree } from '../../src/core/workbench/dominatorTree';
import { summarizeByLocation } from '../../src/core/workbench/summary';
import { findWaste } from '../../src/core/workbench/waste';
import { mergePaths } from '../../src/core/workbench/merged';
import { mergedPathGraph } from '../../src/core/workbench/mergedGraph';
import { compareSnapshots } from '../../src/core/workbench/compare';
import { redactSnapshot } from '../../src/core/workbench/redact';
import { attribute } from '../../src/core/workbench/attribution';
import { packageOf } from '../../src/core/workbench/scripts';

function load(json: string): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(json);
  return analyze(p.end());
}

/**
 * root → global .store → Store .items → Map (table) → 150 Items (100 B each), plus
 * global .other → Other → 3 Items, global .blob → Blob (big, one object), and strings.
 */
function storeGraph(items = 150): { nodes: TestNode[]; edges: TestEdge[] } {
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    { type: 'object', name: 'global', size: 50 },
    { type: 'object', name: 'Store', size: 40 },
    { type: 'object', name: 'Map', size: 32 },
    { type: 'array', name: '', size: 16 + 8 * items },
    { type: 'object', name: 'Other', size: 20 },
    { type: 'object', name: 'Blob', size: 30000 },
  ];
  const edges: TestEdge[] = [
    { from: 0, to: 1, type: 'element', name: 1 },
    { from: 1, to: 2, type: 'property', name: 'store' },
    { from: 2, to: 3, type: 'property', name: 'items' },
    { from: 3, to: 4, type: 'internal', name: 'table' },
    { from: 1, to: 5, type: 'property', name: 'other' },
    { from: 1, to: 6, type: 'property', name: 'blob' },
  ];
  for (let i = 0; i < items; i++) {
    nodes.push({ type: 'object', name: 'Item', size: 100 });
    edges.push({ from: 4, to: nodes.length - 1, type: 'internal', name: String(i) });
  }
  for (let i = 0; i < 3; i++) {
    nodes.push({ type: 'object', name: 'Item', size: 100 });
    edges.push({ from: 5, to: nodes.length - 1, type: 'property', name: `i${i}` });
  }
  // The same string held 40 times, and a plain object named by its properties.
  for (let i = 0; i < 40; i++) {
    nodes.push({ type: 'string', name: 'secret-token', size: 32 });
    edges.push({ from: 5, to: nodes.length - 1, type: 'property', name: `s${i}` });
  }
  nodes.push({ type: 'object', name: 'Object', size: 24 });
  const plain = nodes.length - 1;
  edges.push({ from: 1, to: plain, type: 'property', name: 'config' });
  nodes.push({ type: 'number', name: '8080', size: 16 });
  edges.push({ from: plain, to: nodes.length - 1, type: 'property', name: 'port' });
  edges.push({ from: plain, to: 6, type: 'property', name: 'blob' });
  return { nodes, edges };
}

test('suspects: a Map whose table holds many objects of one class is an accumulation point', () => {
  const { nodes, edges } = storeGraph();
  const a = load(snapshotJson(nodes, edges));
  const suspects = findSuspects(a, { minMembers: 100, minShare: 0.02 });
  const acc = suspects.find((s) => s.kind === 'accumulation');
  assert.ok(acc, JSON.stringify(suspects, null, 2));
  assert.equal(acc.members!.name, 'Item');
  assert.equal(acc.members!.count, 150, 'the three Items of Other are not the Map’s');
  assert.equal(acc.members!.retainedSize, 150 * 100);
  assert.equal(acc.id, a.snapshot.nodeId[3]);
  assert.match(
    acc.sentence,
    /^150 Item objects \(14\.6 KB, \d+% of the heap\) accumulate in the Map `items`, a property of the Store `store`, a global\.$/,
  );
  assert.deepEqual(
    acc.retainerPath.map((s) => s.edge),
    [null, '1', 'store', 'items'],
  );
  assert.equal(acc.allocationStack, null, 'no allocation tracking in this heap');
  // Blob alone is over a tenth of the heap: a big dominator, named with its holder.
  const big = suspects.find((s) => s.kind === 'dominator');
  assert.ok(big);
  assert.equal(big.id, a.snapshot.nodeId[6]);
  assert.match(
    big.sentence,
    /^One object, the Blob `blob`, a global, keeps 29\.3 KB \(\d+% of the heap\) alive\.$/,
  );
  // Below the member threshold nothing accumulates.
  assert.equal(
    findSuspects(load(snapshotJson(...(Object.values(storeGraph(20)) as [TestNode[], TestEdge[]]))), {
      minMembers: 100,
    }).filter((s) => s.kind === 'accumulation').length,
    0,
  );
});

test('suspects: a linked list counts as one container of its links', () => {
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    { type: 'object', name: 'global', size: 10 },
    { type: 'object', name: 'TimersList', size: 10 },
  ];
  const edges: TestEdge[] = [
    { from: 0, to: 1, type: 'element', name: 1 },
    { from: 1, to: 2, type: 'property', name: 'list' },
  ];
  let prev = 2;
  for (let i = 0; i < 300; i++) {
    nodes.push({ type: 'object', name: 'Timeout', size: 50 });
    edges.push({ from: prev, to: nodes.length - 1, type: 'property', name: '_idleNext' });
    prev = nodes.length - 1;
  }
  const a = load(snapshotJson(nodes, edges));
  const acc = findSuspects(a, { minMembers: 100 }).filter((s) => s.kind === 'accumulation');
  assert.equal(acc.length, 1, 'one container, not one per link');
  assert.equal(acc[0].id, a.snapshot.nodeId[2]);
  assert.equal(acc[0].members!.count, 300);
  assert.equal(acc[0].members!.retainedSize, 300 * 50, 'the chain counted once');
});

test('dominator tree: children by retained size, edges named, depth and limit honoured', () => {
  const { nodes, edges } = storeGraph();
  const a = load(snapshotJson(nodes, edges));
  const tree = new DominatorTree(a);
  const root = tree.query({ depth: 2, limit: 3 }, (id) => a.snapshot.nodeId.indexOf(id))!;
  assert.equal(root.name, '(GC roots)');
  const global = root.children![0];
  assert.equal(global.name, 'global');
  const sizes = global.children!.map((c) => c.retainedSize);
  assert.deepEqual(
    sizes,
    [...sizes].sort((x, y) => y - x),
  );
  assert.equal(global.children![0].name, 'Blob', 'Blob is held twice under global, so global dominates it');
  assert.equal(global.children!.length, 3);
  assert.ok(global.moreChildren! > 0);
  assert.equal(global.children![0].children, undefined, 'depth 2 stops there');
  const store = tree.query({ id: a.snapshot.nodeId[2], depth: 3 }, (id) => a.snapshot.nodeId.indexOf(id))!;
  assert.equal(store.children![0].edge, 'items');
  assert.equal(store.children![0].children![0].children!.length, 50, 'default limit');
  assert.equal(store.children![0].children![0].moreChildren, 100);
  assert.equal(
    tree.query({ id: 999999 }, () => -1),
    null,
  );
});

test('summary: plain objects are named by their properties', () => {
  const { nodes, edges } = storeGraph();
  const rows = summarizeByLocation(load(snapshotJson(nodes, edges)));
  const plain = rows.find((r) => r.name.startsWith('{'));
  assert.equal(plain?.name, '{port, blob}');
  assert.equal(rows.find((r) => r.name === 'Item')?.count, 153);
});

test('waste: the same string held many times is counted with its wasted bytes', () => {
  const { nodes, edges } = storeGraph();
  const w = findWaste(load(snapshotJson(nodes, edges)));
  assert.equal(w.duplicateStrings[0].preview, 'secret-token');
  assert.equal(w.duplicateStrings[0].count, 40);
  assert.equal(w.duplicateStrings[0].wastedSize, 39 * 32);
  assert.equal(w.duplicateStrings[0].sampleIds.length, 5);
});

test('waste: concatenated strings, named by V8 without their content, are not duplicates of each other', () => {
  const { nodes, edges } = storeGraph();
  for (let i = 0; i < 60; i++) {
    nodes.push({ type: 'concatenated string', name: '(concatenated string)', size: 32 });
    edges.push({ from: 5, to: nodes.length - 1, type: 'property', name: `c${i}` });
  }
  const w = findWaste(load(snapshotJson(nodes, edges)));
  assert.deepEqual(
    w.duplicateStrings.map((d) => d.preview),
    ['secret-token'],
  );
});

test('merged paths: every member’s path in one tree, with counts on each step', () => {
  const { nodes, edges } = storeGraph();
  const a = load(snapshotJson(nodes, edges));
  const items: number[] = [];
  for (let i = 0; i < a.snapshot.nodeCount; i++) if (a.snapshot.nodeNameString(i) === 'Item') items.push(i);
  const m = mergePaths(a, items);
  assert.equal(m.targets, 153);
  assert.equal(m.root!.count, 153);
  const global = m.root!.children[0];
  assert.deepEqual(
    global.children.map((c) => [c.edge, c.node, c.count]),
    [
      ['.store', 'Store', 150],
      ['.other', 'Other', 3],
    ],
  );
  const table = global.children[0].children[0].children[0];
  assert.equal(table.children.length, 1, 'indexes merged into one step');
  assert.equal(table.children[0].count, 150);
  // 150 paths pass through one Map; the last step stands for the 150 Items themselves.
  assert.equal(global.children[0].children[0].objects, 1);
  assert.equal(table.children[0].objects, 150);
  assert.equal(table.children[0].members, 150);
  assert.equal(table.children[0].retainedSize, 150 * 100);
  // Drawn as a graph: one box per step, the count of paths on each edge, the Items as targets.
  const g = mergedPathGraph(m, 400);
  const targets = g.nodes.filter((n) => n.target);
  // (Other's three are reached by three different property names: three steps.)
  assert.deepEqual(targets.map((n) => [n.name, n.count]).sort(), [
    ['Item', 1],
    ['Item', 1],
    ['Item', 1],
    ['Item', 150],
  ]);
  assert.ok(g.edges.some((e) => e.label === '×150 .store'));
  assert.equal(
    g.nodes.find((n) => n.name === 'Map')?.id,
    a.snapshot.nodeId[3],
    'a one-object step keeps its id',
  );
  assert.equal(targets.find((n) => n.count === 150)?.id, undefined, 'a step of many objects has none');
  // Cut to 4 steps: the most travelled, each with its parent.
  const cut = mergedPathGraph(m, 4);
  assert.equal(cut.nodes.length, 4);
  assert.equal(cut.truncated?.hiddenNodes, g.nodes.length - 4);
  const keys = new Set(cut.nodes.map((n) => n.key));
  assert.ok(cut.edges.every((e) => keys.has(e.from) && keys.has(e.to)));
});

test('compare: new objects are those whose ids the earlier snapshot lacks', () => {
  const before = storeGraph(150);
  const after = storeGraph(150);
  // The later heap has 120 more Items in the Map (ids past the earlier snapshot's).
  const table = 4;
  for (let i = 0; i < 120; i++) {
    after.nodes.push({ type: 'object', name: 'Item', size: 100 });
    after.edges.push({ from: table, to: after.nodes.length - 1, type: 'internal', name: String(200 + i) });
  }
  const c = compareSnapshots(
    load(snapshotJson(before.nodes, before.edges)),
    load(snapshotJson(after.nodes, after.edges)),
    { className: 'Item' },
  );
  const item = c.classes.find((r) => r.name === 'Item')!;
  assert.equal(item.added, 120);
  assert.equal(item.countDelta, 120);
  assert.equal(item.removed, 0);
  assert.equal(c.newObjects!.total, 120);
  const firstNewId = before.nodes.length * 2 + 1;
  assert.ok(c.newObjects!.objects.every((o) => o.id >= firstNewId));
  assert.deepEqual(c.newObjects!.objects[0].retainerPath.map((s) => s.edge).slice(0, 4), [
    null,
    '1',
    'store',
    'items',
  ]);
  assert.equal(c.growthSuspects[0]?.members?.count, 120, 'only the new Items count toward the growth');
});

test('redact: the string values go, the names and the graph stay', async () => {
  const { nodes, edges } = storeGraph();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-redact-'));
  try {
    const input = path.join(dir, 'in.heapsnapshot');
    const output = path.join(dir, 'out.heapsnapshot');
    fs.writeFileSync(input, snapshotJson(nodes, edges));
    const r = await redactSnapshot(input, output);
    assert.ok(r.stringsReplaced >= 1);
    const text = fs.readFileSync(output, 'utf8');
    assert.ok(!text.includes('secret-token'));
    const json = JSON.parse(text);
    const original = JSON.parse(fs.readFileSync(input, 'utf8'));
    assert.deepEqual(json.nodes, original.nodes);
    assert.deepEqual(json.edges, original.edges);
    for (const name of ['Store', 'Item', 'store', 'items', 'port', 'global', '8080'])
      assert.ok(json.strings.includes(name), name);
    const a = load(text);
    const b = load(fs.readFileSync(input, 'utf8'));
    assert.deepEqual(Array.from(a.retainedSize), Array.from(b.retainedSize));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('attribution: rows add up to the heap; packages are read from node_modules paths', () => {
  const { nodes, edges } = storeGraph();
  const a = load(snapshotJson(nodes, edges));
  const r = attribute(a, 'package');
  assert.equal(
    r.rows.reduce((t, x) => t + x.retainedSize, 0),
    r.total,
  );
  assert.equal(packageOf('/app/node_modules/got/dist/index.js'), 'got');
  assert.equal(packageOf('/app/node_modules/a/node_modules/@scope/b/x.js'), '@scope/b');
  assert.equal(packageOf('node:internal/timers'), '(node)');
  assert.equal(packageOf('/app/src/server.js'), '(app)');
});
