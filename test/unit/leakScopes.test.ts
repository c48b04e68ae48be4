// One cause whose parts are joined only through a closure scope: readable.pipe(dest) puts
// closures on the source and on the destination that all capture `dest` in pipe()'s scope.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../helpers/graphs';
import { huntGraph } from '../helpers/leakHunt';

/** The source's `pipes` array and its 'end' listeners; per iteration two pipes, as pipe() makes them. */
function pipes(scopeIsNew: boolean) {
  return huntGraph(
    4,
    (b, g) => {
      const feed = b.node('PassThrough');
      const pipesArray = b.node('Array');
      const endListeners = b.node('Array');
      b.edge(g, feed, 'property', 'auditFeed').edge(feed, pipesArray, 'property', 'pipes');
      b.edge(feed, endListeners, 'property', 'end');
      // A module scope made before the hunt: every closure of the module holds it.
      const moduleScope = b.node('system / Context');
      b.edge(g, moduleScope, 'internal', 'scope');
      return { pipesArray, endListeners, moduleScope };
    },
    (b: GraphBuilder, old, k) => {
      for (let j = 0; j < 2; j++) {
        const dest = b.node('ResponseCapture', 'object', 400);
        const scope = scopeIsNew ? b.node('system / Context') : old.moduleScope;
        const bound = b.node('native_bind', 'closure');
        const state = b.node('Object');
        const unpipe = b.node('unpipe', 'closure');
        b.edge(old.pipesArray, dest, 'element', k * 2 + j).edge(old.endListeners, bound, 'element', k * 2 + j);
        b.edge(bound, state, 'internal', 'bound_this').edge(state, unpipe, 'property', 'listener');
        b.edge(unpipe, scope, 'internal', 'context').edge(scope, dest, 'context', 'dest');
      }
    },
  );
}

test("a call's closures held elsewhere are the same leak as what their new scope holds", () => {
  const leaks = pipes(true);
  assert.equal(leaks.length, 1, leaks.map((l) => `${l.className} ×${l.members.length}`).join(', '));
  assert.equal(leaks[0].className, 'ResponseCapture');
  assert.equal(leaks[0].members.length, 8);
  assert.ok(leaks[0].alsoKeeps.some((x) => x.className === 'native_bind'), JSON.stringify(leaks[0].alsoKeeps));
});

test('an old scope shared by closures does not join what it holds to them', () => {
  const leaks = pipes(false);
  // Two leaks: the captures (held by `pipes` and the module's scope) and the closures.
  assert.deepEqual(leaks.map((l) => l.className).sort(), ['Function', 'ResponseCapture']);
});
