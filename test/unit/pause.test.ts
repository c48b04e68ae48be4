// The pause filter on hand-made graphs (core/pause.ts): paths past the paused frames and the
// inspector's own global handles, in tiers: the program's reasons, else the running code's, else
// only the debugger's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { PauseView } from '../../src/core/pause';
import { nodeLabel } from '../../src/core/describe';
import { GraphBuilder } from '../helpers/graphs';

function analyzed(b: GraphBuilder): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(b.json());
  return analyze(p.end());
}

/** V8's system roots under (GC roots), as a paused snapshot has them. */
function systemRoots(b: GraphBuilder): { stack: number; handles: number; debuggerRoot: number } {
  const gc = b.node('(GC roots)', 'synthetic');
  b.edge(0, gc, 'element', 1);
  const stack = b.node('(Stack roots)', 'synthetic');
  const handles = b.node('(Global handles)', 'synthetic');
  const debuggerRoot = b.node('(Debugger)', 'synthetic');
  b.edge(gc, stack, 'element', 1).edge(gc, handles, 'element', 2).edge(gc, debuggerRoot, 'element', 3);
  return { stack, handles, debuggerRoot };
}

const names = (a: HeapAnalysis, nodes: number[]): string => nodes.map((n) => nodeLabel(a, n)).join(' → ');

test('paused: the module Map is the answer, not the frame, the debugger or the Variables view’s handle', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const { stack, handles, debuggerRoot } = systemRoots(b);
  const exportsObj = b.node('Object');
  const context = b.node('system / Context', 'hidden');
  const map = b.node('Map');
  const table = b.node('(array)', 'array');
  const entry = b.node('CacheEntry');
  const scope = b.node('Object'); // the scope object V8 materialises for the Variables view
  b.edge(g, exportsObj, 'property', 'exports')
    .edge(exportsObj, context, 'internal', 'context')
    .edge(context, map, 'context', 'cache')
    .edge(map, table, 'internal', 'table')
    .edge(table, entry, 'internal', 'Map entry')
    .edge(stack, entry, 'element', 5)
    .edge(debuggerRoot, entry, 'element', 1)
    .edge(handles, entry, 'internal', '48 / DevTools console')
    .edge(handles, scope, 'internal', '49 / DevTools console')
    .edge(scope, entry, 'property', 'entry');
  const a = analyzed(b);
  const view = new PauseView(a);
  assert.deepEqual(view.hold(entry), { heldByStack: true, onlyStack: false });
  const paths = view.paths(entry, 5);
  assert.equal(paths.length, 1, paths.map((p) => names(a, p.nodes)).join(' | '));
  assert.ok(paths[0].nodes.includes(map), names(a, paths[0].nodes));
  // The "Stack paths" toggle brings the frame back, never the inspector's handles.
  const withFrames = view.paths(entry, 5, true).map((p) => names(a, p.nodes));
  assert.ok(
    withFrames.some((p) => p.includes('(Stack roots)')),
    withFrames.join(' | '),
  );
  assert.ok(!withFrames.some((p) => p.includes('(Global handles)')), withFrames.join(' | '));
});

test('paused: Node’s own global handles are real reasons; only the inspector’s are left out', () => {
  const b = new GraphBuilder();
  b.global();
  const { handles } = systemRoots(b);
  const wrap = b.node('TCPWrap');
  const socket = b.node('Socket');
  b.edge(handles, wrap, 'internal', '12').edge(wrap, socket, 'property', 'owner');
  b.edge(handles, socket, 'internal', '13 / DevTools console');
  const a = analyzed(b);
  const view = new PauseView(a);
  assert.deepEqual(view.hold(socket), { heldByStack: false, onlyStack: false });
  const paths = view.paths(socket, 5);
  assert.equal(paths.length, 1);
  assert.equal(names(a, paths[0].nodes), '(GC roots) → (GC roots) → (Global handles) → TCPWrap → Socket');
});

test('paused: what only the frames hold is said so, and drawn through the frames', () => {
  const b = new GraphBuilder();
  b.global();
  const { stack, handles } = systemRoots(b);
  const context = b.node('system / Context', 'hidden');
  const map = b.node('Map');
  const entry = b.node('CacheEntry');
  b.edge(stack, context, 'element', 14)
    .edge(context, map, 'context', 'cache')
    .edge(map, entry, 'internal', 'Map entry')
    .edge(stack, entry, 'element', 5)
    .edge(handles, entry, 'internal', '3 / DevTools console');
  const a = analyzed(b);
  const view = new PauseView(a);
  assert.deepEqual(view.hold(entry), { heldByStack: true, onlyStack: true });
  const drawn = view.paths(entry, 5).map((p) => names(a, p.nodes));
  assert.ok(
    drawn.some((p) => p.includes('Map')),
    drawn.join(' | '),
  );
  assert.ok(!drawn.some((p) => p.includes('(Global handles)')), drawn.join(' | '));
});

test('paused: an object only the console or the Variables view keeps is the debugger’s', () => {
  const b = new GraphBuilder();
  b.global();
  const { handles } = systemRoots(b);
  const logged = b.node('Logged');
  b.edge(handles, logged, 'internal', '96 / DevTools console');
  const a = analyzed(b);
  const view = new PauseView(a);
  assert.deepEqual(view.hold(logged), { heldByStack: false, onlyStack: false, onlyDebugger: true });
  // Nothing else to draw, so the debugger's own path is the truth shown.
  assert.match(names(a, view.paths(logged, 3)[0].nodes), /Global handles\) → Logged$/);
});

test('paused: "ignore this retainer" stays past the frames and the inspector', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const { stack, handles } = systemRoots(b);
  const map = b.node('Map');
  const set = b.node('Set');
  const entry = b.node('CacheEntry');
  b.edge(g, map, 'property', 'cache')
    .edge(g, set, 'property', 'seen')
    .edge(map, entry, 'internal', 'Map entry')
    .edge(set, entry, 'internal', 'Set entry')
    .edge(stack, entry, 'element', 2)
    .edge(handles, entry, 'internal', '7 / DevTools console');
  const a = analyzed(b);
  const view = new PauseView(a);
  assert.equal(names(a, view.pathAvoiding(entry, [map])!.nodes), '(GC roots) → global /  → Set → CacheEntry');
  assert.equal(view.pathAvoiding(entry, [map, set]), null);
});
