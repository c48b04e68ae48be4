// Which member of a leak is shown (src/core/leaks/representative.ts): the largest, unless its
// path runs only through packages' code and another member's runs through the program's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { computeDistances } from '../../src/core/graph/distances';
import { programRepresentative, throughProgram } from '../../src/core/leaks/representative';
import { shortestRetainerPath } from '../../src/core/paths';
import { GraphBuilder } from '../helpers/graphs';

function analyzed(b: GraphBuilder): { a: HeapAnalysis; distance: Int32Array } {
  const p = new SnapshotParser();
  p.write(b.json());
  const a = analyze(p.end());
  return { a, distance: computeDistances(a.snapshot, a.kinds, a.weakMapNames) };
}

/** global → _cache → file → Module → exports → a holder object; returns the holder. */
function moduleHolder(b: GraphBuilder, cache: number, file: string, name: string): number {
  const mod = b.node('Module');
  const exports = b.node('Object');
  const holder = b.node('Object');
  b.edge(cache, mod, 'property', file)
    .edge(mod, exports, 'property', 'exports')
    .edge(exports, holder, 'property', name);
  return holder;
}

test("a member whose path runs through the program's code is shown before a larger one reached only through a package", () => {
  const b = new GraphBuilder();
  const g = b.global();
  const cache = b.node('Object');
  b.edge(g, cache, 'property', '_cache');
  const registry = moduleHolder(b, cache, '/app/node_modules/fetchlib/request.js', 'requestFinalizer');
  const mine = moduleHolder(b, cache, '/app/fetcher.js', 'shutdown');
  const big = b.node('Request', 'object', 900);
  const small = b.node('Request', 'object', 100);
  const listeners = b.node('Array');
  b.edge(registry, big, 'element', 0).edge(registry, small, 'element', 1);
  // The program's way to `small` is longer than the registry's for `big`, shorter than its own.
  b.edge(mine, small, 'property', 'lastRequest').edge(mine, listeners, 'property', 'listeners');
  const { a, distance } = analyzed(b);
  assert.equal(throughProgram(a, shortestRetainerPath(a, big, distance)!), false);
  const shown = programRepresentative(a, [big, small], distance);
  assert.ok(shown, 'a member reached through the program is found');
  assert.equal(shown.member, small);
  assert.equal(throughProgram(a, shown.path), true);
});

test('the largest member stays when its path runs through the program, or when none does', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const cache = b.node('Object');
  b.edge(g, cache, 'property', '_cache');
  const mine = moduleHolder(b, cache, '/app/fetcher.js', 'cache');
  const theirs = moduleHolder(b, cache, '/app/node_modules/lib/index.js', 'pool');
  const x = b.node('Entry', 'object', 900);
  const y = b.node('Entry', 'object', 100);
  const p = b.node('Conn', 'object', 900);
  const q = b.node('Conn', 'object', 100);
  b.edge(mine, x, 'element', 0)
    .edge(mine, y, 'element', 1)
    .edge(theirs, p, 'element', 0)
    .edge(theirs, q, 'element', 1);
  const { a, distance } = analyzed(b);
  assert.equal(programRepresentative(a, [x, y], distance), null);
  assert.equal(programRepresentative(a, [p, q], distance), null);
});
