// Compact answers: every page within its budget, paging that visits every item once, the user
// frame chosen over library frames, long retainer paths folded, heap text escaped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactReport, fitToBudget, foldPath, pathsFromGraph, userFrameOf } from '../../src/core/compact';
import type { Leak } from '../../src/core/report';

function leak(i: number, over: Partial<Leak> = {}): Leak {
  const frame = { path: `/app/src/file${i}.js`, line: 10 + i, column: 5, functionName: `make${i}` };
  return {
    name: `Thing${i}`,
    count: 100 * i,
    retainedSize: 1000 * i,
    growthPerIteration: 10 * i,
    explanation:
      `${100 * i} Thing${i} objects are kept alive by the array \`items\` of the module state ` +
      'x'.repeat(i * 7),
    allocationSites: [{ ...frame, stack: [frame] }],
    retainerPath: [
      { edge: null, node: '(GC roots)' },
      { edge: 'state', node: 'Object' },
      { edge: 'items', node: 'Array' },
      { edge: '0', node: `Thing${i}` },
    ],
    ...over,
  };
}

test('pages stay within the budget and together hold every leak exactly once', () => {
  const report = { leaks: Array.from({ length: 60 }, (_, i) => leak(i + 1)) };
  for (const maxChars of [500, 1200, 4000]) {
    const seen: number[] = [];
    let offset: number | null = 0;
    let pages = 0;
    while (offset !== null) {
      const page = compactReport(report, { maxChars, offset });
      assert.ok(
        JSON.stringify(page).length <= maxChars,
        `page at ${offset} within ${maxChars}: ${JSON.stringify(page).length}`,
      );
      assert.ok(page.items.length >= 1, 'paging always moves');
      seen.push(...page.items.map((l) => l.rank));
      offset = page.page.nextOffset;
      pages++;
    }
    assert.deepEqual(
      seen,
      report.leaks.map((_, i) => i + 1),
    );
    assert.ok(maxChars > 1000 || pages > 10, `a small budget needs many pages (${pages})`);
  }
});

test('one item larger than the budget is cut to fit, not dropped', () => {
  const big = leak(1, { explanation: 'y'.repeat(3000), name: 'N'.repeat(70) });
  const page = compactReport({ leaks: [big] }, { maxChars: 500 });
  assert.ok(JSON.stringify(page).length <= 500, String(JSON.stringify(page).length));
  assert.equal(page.items.length, 1);
  assert.match(page.items[0].sentence, /^y+…$/);
  const plain = fitToBudget({}, [{ a: 'z'.repeat(2000) }], 600);
  assert.ok(JSON.stringify(plain).length <= 600);
});

test("the user frame skips node_modules and node: frames; a report's own userFrame wins", () => {
  const lib = { path: '/app/node_modules/lru/index.js', line: 3, column: 1, functionName: 'set' };
  const own = { path: '/app/src/cache.js', line: 42, column: 7, functionName: 'remember' };
  const l = leak(1, {
    allocationSites: [
      { ...lib, stack: [lib, { path: 'node:events', line: 1, column: 1, functionName: 'emit' }, own] },
    ],
  });
  assert.deepEqual(userFrameOf(l), own);
  assert.equal(compactReport({ leaks: [l] }).items[0].at, '/app/src/cache.js:42:7');
  const named = { ...l, userFrame: { path: '/app/x.js', line: 1, column: 2, functionName: 'f' } } as Leak;
  assert.equal(userFrameOf(named)?.path, '/app/x.js');
  assert.equal(userFrameOf(leak(1, { allocationSites: [] })), undefined);
});

test('long retainer paths keep their ends; control characters from the heap are escaped', () => {
  const steps = [
    { edge: null, node: '(GC roots)' },
    ...Array.from({ length: 30 }, (_, i) => ({ edge: `next${i}`, node: 'Node' })),
    { edge: 'value', node: 'Book' },
  ];
  const folded = foldPath(steps);
  assert.match(folded, /^\(GC roots\) → next0 → Node → … 26 steps … → .* → value → Book$/);
  const evil = compactReport({
    leaks: [leak(1, { name: 'Evil\u001b[31m', explanation: 'kept by \u0007bell' })],
  }).items[0];
  assert.equal(evil.name, 'Evil\\u001b[31m');
  assert.ok(!evil.sentence.includes('\u0007'), 'no raw control character');
  assert.equal(evil.sentence, 'kept by \\u0007bell');
});

test('a retainer graph reads back as one line per first retainer, nearest the roots first', () => {
  const node = (key: string, name: string, distance: number, target = false) => ({
    key,
    id: Number(key),
    kind: 'object' as const,
    name,
    selfSize: 1,
    retainedSize: 1,
    distance,
    ...(target ? { target } : {}),
  });
  const graph = {
    nodes: [
      node('1', '(GC roots)', 0),
      node('2', 'global', 1),
      node('3', 'Cache', 2),
      node('4', 'Map', 3),
      node('5', 'Timer', 4),
      node('9', 'Book', 4, true),
    ],
    edges: [
      { from: '1', to: '2', kind: 'property' as const, label: 'global' },
      { from: '2', to: '3', kind: 'property' as const, label: '.cache' },
      { from: '3', to: '4', kind: 'property' as const, label: '.entries' },
      { from: '4', to: '9', kind: 'internal' as const, label: 'Map entry' },
      { from: '2', to: '5', kind: 'property' as const, label: '.timer' },
      { from: '5', to: '9', kind: 'context' as const, label: 'context variable book' },
    ],
  };
  assert.deepEqual(pathsFromGraph(graph, 3), [
    '(GC roots) @1 → global → global @2 → .cache → Cache @3 → .entries → Map @4 → Map entry → Book @9',
    '(GC roots) @1 → global → global @2 → .timer → Timer @5 → context variable book → Book @9',
  ]);
  assert.equal(pathsFromGraph(graph, 1).length, 1);
});
