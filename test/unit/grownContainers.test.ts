// Containers of numbers (src/core/leaks/containers.ts): the hunt's note says how many entries
// each big container held at the start; a noted container that gained entries, whose backing
// store was reallocated during the hunt and holds no new object, is a leak named after it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { huntDistances } from '../../src/core/leaks/detect';
import { CONTAINER_NOTE, grownContainers, notedContainers } from '../../src/core/leaks/containers';
import { GraphBuilder } from '../helpers/graphs';

interface Heap {
  a: HeapAnalysis;
  distance: Int32Array;
  startMaxId: number;
  /** Node ordinals by name, in the final snapshot (GraphBuilder keeps the order). */
  at: Record<string, number>;
}

/**
 * A module scope holding `samples` (an Array of numbers), `ring` (a bounded one), `jobs` (an
 * Array of objects born in the hunt); each had its store reallocated after the start mark. The
 * note lists each (by a WeakRef) with its count at the start.
 */
function heap(counts: Record<string, number>): Heap {
  const b = new GraphBuilder();
  const global = b.global();
  const scope = b.node('system / Context', 'hidden');
  b.edge(global, scope, 'property', 'scope');
  const at: Record<string, number> = {};
  for (const name of ['samples', 'ring', 'jobs']) {
    at[name] = b.node('Array', 'object', 64 * 1024);
    b.edge(scope, at[name], 'context', name);
  }
  // The note, as the inspector holds it for the hunt: a global handle, named by its first element.
  const handles = b.node('(Global handles)', 'synthetic', 0);
  const note = b.node('Array', 'object', 64);
  b.edge(0, handles, 'element', 1).edge(handles, note, 'element', 1);
  b.edge(note, b.node(CONTAINER_NOTE, 'string', 40), 'element', 0);
  Object.keys(at).forEach((name, i) => {
    const ref = b.node('WeakRef', 'object', 24);
    const count = b.node(String(counts[name]), 'string', 20);
    b.edge(ref, at[name], 'weak', 'target');
    b.edge(note, ref, 'element', 2 * i + 1).edge(note, count, 'element', 2 * i + 2);
  });
  const startMaxId = b.id(b.nodes.length - 1);
  // After the start: a new store under each container, and a new object in `jobs`' store.
  for (const name of Object.keys(at)) {
    const store = b.node('(object elements)', 'array', 0);
    b.edge(at[name], store, 'internal', 'elements');
    if (name === 'jobs') b.edge(store, b.node('Job'), 'element', 0);
  }
  const p = new SnapshotParser();
  p.write(b.json());
  const a = analyze(p.end());
  return { a, distance: huntDistances(a), startMaxId, at };
}

test('the note gives each container with its count at the start, in order', () => {
  const h = heap({ samples: 8000, ring: 5000, jobs: 300 });
  assert.deepEqual(notedContainers(h.a), [
    { container: h.at.samples, entries: 8000 },
    { container: h.at.ring, entries: 5000 },
    { container: h.at.jobs, entries: 300 },
  ]);
});

test('a container that gained entries is a leak; a bounded one and one of new objects are not', () => {
  const h = heap({ samples: 8000, ring: 5000, jobs: 300 });
  const found = grownContainers(h.a, [40000, 5000, 3000], h.distance, h.startMaxId, 4);
  assert.deepEqual(
    found.map((g) => [g.members[0], g.grownEntries]),
    [[h.at.samples, { entries: 40000, perIteration: 8000 }]],
  );
  // Growth in bytes: the container's own size (V8 counts its store in it) per entry.
  assert.equal(found[0].growthPerIteration, 8000 * ((64 * 1024) / 40000));
  // The path runs through the variable that holds it, never through the note (its refs are weak).
  const names = found[0].path.edges.map((e) => h.a.snapshot.edgeNameString(e));
  assert.ok(names.includes('samples') && !names.includes('target'), names.join(' > '));
});

test('a few more entries are no leak, nor is a container no longer counted', () => {
  const h = heap({ samples: 8000, ring: 5000, jobs: 300 });
  assert.deepEqual(grownContainers(h.a, [8500], h.distance, h.startMaxId, 4), []);
  assert.deepEqual(grownContainers(h.a, [], h.distance, h.startMaxId, 4), []);
});

test('without a note there is nothing to compare', () => {
  const b = new GraphBuilder();
  b.edge(b.global(), b.node('Array', 'object', 64 * 1024), 'property', 'samples');
  const p = new SnapshotParser();
  p.write(b.json());
  const a = analyze(p.end());
  assert.deepEqual(notedContainers(a), []);
  assert.deepEqual(grownContainers(a, [1, 2, 3], huntDistances(a), 0, 4), []);
});
