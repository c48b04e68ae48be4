// Folded retainer paths on hand-made graphs: Node's module registry as one step, a module's
// own variables, closure scopes, the global object; the raw steps each folded step stands for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { shortestRetainerPath, trimRoot } from '../../src/core/paths';
import { foldPath } from '../../src/core/leaks/fold';
import { buildRetainerGraph } from '../../src/core/retainerGraph';
import { GraphBuilder } from '../helpers/graphs';

function analyzed(b: GraphBuilder): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(b.json());
  return analyze(p.end());
}

function folded(b: GraphBuilder, target: number): { labels: string[]; spans: [number, number][] } {
  const a = analyzed(b);
  const path = trimRoot(a, shortestRetainerPath(a, target)!);
  const steps = foldPath(a, path);
  return {
    labels: steps.map((f) => f.label || `${f.last.via?.name} → ${f.last.className}`),
    spans: steps.map((f) => [f.from, f.to]),
  };
}

/** global → process → $Module → _cache → "/abs/app/books.js" → Module → exports. */
function registry(b: GraphBuilder, file: string): number {
  const g = b.global();
  const proc = b.node('process');
  const moduleFn = b.node('Module', 'closure');
  const cache = b.node('Object');
  const mod = b.node('Module');
  const exports = b.node('Object');
  b.edge(g, proc, 'property', 'process')
    .edge(proc, moduleFn, 'property', '$Module')
    .edge(moduleFn, cache, 'property', '_cache')
    .edge(cache, mod, 'property', file)
    .edge(mod, exports, 'property', 'exports');
  return exports;
}

test('the module registry folds into one step, and an exported closure scope into the module variable', () => {
  const b = new GraphBuilder();
  const exports = registry(b, '/abs/app/books.js');
  const fn = b.node('processBooks', 'closure');
  const ctx = b.node('system / Context');
  const map = b.node('Map');
  b.edge(exports, fn, 'property', 'processBooks')
    .edge(fn, ctx, 'internal', 'context')
    .edge(ctx, map, 'context', 'cache');
  const { labels, spans } = folded(b, map);
  assert.deepEqual(labels.slice(1), [
    'module books.js',
    'processBooks → Function',
    'variable `cache` of books.js',
  ]);
  // root; global … exports (6 raw steps); the closure; context + variable (2 raw steps).
  assert.deepEqual(spans, [
    [0, 0],
    [1, 6],
    [7, 7],
    [8, 9],
  ]);
});

test('a closure scope reached another way is "closure variable `x` of `fn`", through outer scopes too', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const handler = b.node('onData', 'closure');
  const inner = b.node('system / Context');
  const outer = b.node('system / Context');
  const buf = b.node('Payload');
  b.edge(g, handler, 'property', 'handler')
    .edge(handler, inner, 'internal', 'context')
    .edge(inner, outer, 'internal', 'previous')
    .edge(outer, buf, 'context', 'payload');
  const { labels, spans } = folded(b, buf);
  assert.deepEqual(labels.slice(1), [
    'global',
    'handler → Function',
    'closure variable `payload` of `onData`',
  ]);
  assert.deepEqual(spans.at(-1), [3, 5]);
});

test('paths without Node plumbing stay step for step', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const shelf = b.node('Shelf');
  const book = b.node('Book');
  b.edge(g, shelf, 'property', 'shelf').edge(shelf, book, 'property', 'first');
  const { labels, spans } = folded(b, book);
  assert.deepEqual(labels.slice(1), ['global', 'shelf → Shelf', 'first → Book']);
  assert.ok(spans.every(([x, y]) => x === y));
});

test("a registry far from the root (reached from the program's own objects) is not folded", () => {
  const b = new GraphBuilder();
  let at = b.global();
  for (let i = 0; i < 14; i++) {
    const next = b.node('Holder');
    b.edge(at, next, 'property', `h${i}`);
    at = next;
  }
  const mod = b.node('Module');
  b.edge(at, mod, 'property', '/abs/x.js');
  const { labels } = folded(b, mod);
  assert.ok(!labels.some((l) => l.startsWith('module')), labels.join(' / '));
});

test('a run of one repeated step is one step, "next ×N"; three stay as they are', () => {
  const list = (n: number): { labels: string[]; spans: [number, number][] } => {
    const b = new GraphBuilder();
    const g = b.global();
    let at = b.node('Log');
    b.edge(g, at, 'property', 'log');
    const head = b.node('LogRecord');
    b.edge(at, head, 'property', 'head');
    at = head;
    for (let i = 0; i < n; i++) {
      const next = b.node('LogRecord');
      b.edge(at, next, 'property', 'next');
      at = next;
    }
    return folded(b, at);
  };
  const long = list(40);
  assert.deepEqual(long.labels.slice(1), ['global', 'log → Log', 'head → LogRecord', 'next ×40']);
  assert.deepEqual(long.spans.at(-1), [4, 43]);
  assert.deepEqual(list(3).labels.slice(-3), ['next → LogRecord', 'next → LogRecord', 'next → LogRecord']);
});

test('a run of one repeated pair of steps (a promise chain) is one step too', () => {
  const b = new GraphBuilder();
  const g = b.global();
  let at = b.node('Promise');
  b.edge(g, at, 'property', 'ready');
  for (let i = 0; i < 6; i++) {
    const reaction = b.node('system / PromiseReaction', 'hidden');
    const promise = b.node('Promise');
    b.edge(at, reaction, 'internal', 'reactions_or_result').edge(
      reaction,
      promise,
      'internal',
      'promise_or_capability',
    );
    at = promise;
  }
  const { labels, spans } = folded(b, at);
  assert.deepEqual(labels.slice(1), [
    'global',
    'ready → Promise',
    '(reactions_or_result → system / PromiseReaction → promise_or_capability) ×6',
  ]);
  assert.deepEqual(spans.at(-1), [3, 14]);
});

test('"ignore this retainer" on a folded module step ignores its Module object, not only the node drawn', () => {
  const b = new GraphBuilder();
  const exports = registry(b, '/abs/app/books.js');
  const book = b.node('Book');
  b.edge(exports, book, 'property', 'book');
  // A second way through the same Module (its `children`), and a long one around it.
  const mod = b.edges.find((e) => e.name === 'exports')!.from;
  const children = b.node('Array');
  b.edge(mod, children, 'property', 'children').edge(children, book, 'element', 0);
  let at = b.nodes.findIndex((n) => n.name === 'global / ');
  for (let i = 0; i < 8; i++) {
    const next = b.node('Holder');
    b.edge(at, next, 'property', i === 0 ? 'backup' : `h${i}`);
    at = next;
  }
  b.edge(at, book, 'property', 'book');
  const a = analyzed(b);
  const graph = (folded: boolean): string[] =>
    buildRetainerGraph(a, [book], { paths: 3, ignored: [exports], maxNodes: 100, folded }).edges.map(
      (e) => e.label,
    );
  // Raw: around the `exports` object only, so through the same module's `children`.
  assert.ok(
    graph(false).some((l) => /children/.test(l)),
    graph(false).join(' | '),
  );
  // Folded: the module step stood for the Module too, so the way around it is the long one.
  assert.ok(
    graph(true).some((l) => /backup/.test(l)),
    graph(true).join(' | '),
  );
  assert.ok(!graph(true).some((l) => /children|module/.test(l)), graph(true).join(' | '));
});

test("a run of V8's numbered slots reads as what they are, never a bare number", () => {
  // A promise's reactions, each linked to the next through V8's internal field 0; an array of arrays.
  const b = new GraphBuilder();
  const g = b.global();
  let at = b.node('Promise');
  b.edge(g, at, 'property', 'ready');
  for (let i = 0; i < 5; i++) {
    const reaction = b.node('system / PromiseReaction', 'hidden');
    b.edge(at, reaction, 'internal', i === 0 ? 'reactions_or_result' : '0');
    at = reaction;
  }
  let nested = b.node('Array');
  b.edge(g, nested, 'property', 'nested');
  for (let i = 0; i < 4; i++) {
    const inner = b.node('Array');
    b.edge(nested, inner, 'element', 0);
    nested = inner;
  }
  assert.equal(folded(b, at).labels.at(-1), 'internal field 0 ×4');
  assert.equal(folded(b, nested).labels.at(-1), 'element [0] ×4');
});
