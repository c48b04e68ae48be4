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
        b.edge(old.pipesArray, dest, 'element', k * 2 + j).edge(
          old.endListeners,
          bound,
          'element',
          k * 2 + j,
        );
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
  assert.ok(
    // V8's `native_bind` closure is named as `fn.bind(obj).name` says: `bound …`.
    leaks[0].alsoKeeps.some((x) => x.className.startsWith('bound ')),
    JSON.stringify(leaks[0].alsoKeeps),
  );
});

test('an old scope shared by closures does not join what it holds to them', () => {
  const leaks = pipes(false);
  // Two leaks: the captures (held by `pipes` and the module's scope) and the closures.
  assert.deepEqual(leaks.map((l) => l.className).sort(), ['Function', 'ResponseCapture']);
});

test('wrappers re-applied on every load (two chains through shared scopes) are one leak', () => {
  // Each load of a module replaces process.cwd and process.chdir with wrappers capturing the
  // previous ones in the load's scope: which variable a path takes at each link of the chain
  // depends on the walk, so the paths of one chain's members differ in their variable names.
  const loads: { cwd: number; chdir: number }[] = [];
  const leaks = huntGraph(
    4,
    (b, g) => {
      const proc = b.node('process');
      b.edge(g, proc, 'property', 'process');
      const first = { cwd: b.node('cwd', 'closure'), chdir: b.node('chdir', 'closure') };
      b.edge(proc, first.cwd, 'internal', 'original cwd').edge(
        proc,
        first.chdir,
        'internal',
        'original chdir',
      );
      loads.push(first);
      return { proc };
    },
    (b, { proc }, k) => {
      for (let j = 0; j < 2; j++) {
        const prev = loads[loads.length - 1];
        const scope = b.node('system / Context');
        const source = b.node('polyfills.js source', 'string', 2000);
        const load = { cwd: b.node('', 'closure', 64), chdir: b.node('', 'closure', 64) };
        b.edge(load.cwd, scope, 'internal', 'context').edge(load.chdir, scope, 'internal', 'context');
        // The walk meets the two captured wrappers in either order, load by load.
        const vars: [number, string][] = [
          [prev.cwd, 'origCwd'],
          [prev.chdir, 'chdir'],
        ];
        for (const [to, name] of (k + j) % 3 === 0 ? vars.reverse() : vars)
          b.edge(scope, to, 'context', name);
        b.edge(scope, source, 'context', 'source');
        loads.push(load);
      }
      if (k === 3) {
        const last = loads[loads.length - 1];
        b.edge(proc, last.cwd, 'property', 'cwd').edge(proc, last.chdir, 'property', 'chdir');
      }
    },
  );
  assert.equal(
    leaks.length,
    1,
    leaks.map((l) => `${l.className} ×${l.members.length} ${l.shape}`).join('\n'),
  );
  // Every wrapper is the leak's: the 14 older ones, and the newest two, held by `process` and
  // born in the last iteration only, that hold all the others through their scope (the cause
  // joins its leak as a part; it was dropped when it was a family of its own born in one
  // iteration, and which of the two was depended on the order the scopes were met in).
  assert.equal(leaks[0].members.length, 16);
});
