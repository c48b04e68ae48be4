// The layered layout and the graph cutting, without a browser.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RetainerGraph } from '../../src/core/report';
import { layoutLayered } from '../../media/src/layout/layered';
import { placeLayer } from '../../media/src/layout/placeLayer';
import { GraphModel } from '../../media/src/model/graphModel';
import { leakPathGraph, readableEdge } from '../../media/src/model/pathGraph';
import { pathFromRoot, shortestRetainerTree } from '../../media/src/model/paths';
import { chooseVisible } from '../../media/src/model/prune';
import { generateRetainerGraph } from './generateGraph';
import { fixture } from './page';

function layoutOf(graph: RetainerGraph) {
  const model = new GraphModel(graph);
  const keys = [...model.nodes.keys()];
  return {
    model,
    layout: layoutLayered({
      keys,
      edges: model.edges,
      roots: new Set(model.roots()),
      targets: new Set(model.targets().map((n) => n.key)),
    }),
  };
}

test('placeLayer keeps order and gaps and otherwise goes where it is pulled', () => {
  assert.deepEqual(placeLayer([0, 100, 300], [50, 50]), [0, 100, 300]);
  assert.deepEqual(placeLayer([10, 10], [40]), [-10, 30]);
  const x = placeLayer([5, 0, 0, 100], [10, 10, 10]);
  for (let i = 1; i < x.length; i++) assert.ok(x[i] - x[i - 1] >= 10 - 1e-9);
  assert.equal(x[3], 100);
});

test('roots on top, the leak at the bottom, every retainer above what it retains', () => {
  const { model, layout } = layoutOf(fixture<RetainerGraph>('library-graph.json'));
  const layer = (k: string): number => layout.layer.get(k)!;
  assert.equal(layer('1'), 0);
  const bottom = Math.max(...layout.layer.values());
  assert.equal(layer('group:0'), bottom);
  assert.deepEqual(layout.layers[bottom], ['group:0'], 'alone on the bottom layer');
  model.edges.forEach((e, i) => {
    assert.ok(layer(e.from) < layer(e.to), `edge ${e.label} points down`);
    assert.equal(layout.back[i], false);
  });
  // The Map is reached by two paths (Library.index and the closure context): one box.
  assert.equal(layout.layers.flat().filter((k) => k === '16').length, 1);
});

test('no two boxes overlap, long edges route through waypoints', () => {
  const { model, layout } = layoutOf(generateRetainerGraph(600, 3));
  for (const row of layout.layers) {
    const xs = row.map((k) => layout.x.get(k)!);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i] - xs[i - 1] >= 200, 'boxes keep their gap');
  }
  model.edges.forEach((e, i) => {
    const route = layout.routes[i];
    if (layout.back[i]) return;
    assert.equal(
      route.length,
      layout.layer.get(e.to)! - layout.layer.get(e.from)! + 1,
      'one point per layer crossed',
    );
    for (let j = 1; j < route.length; j++) assert.ok(route[j][1] > route[j - 1][1], 'routes go down');
  });
});

test('cycles do not break the layout', () => {
  const graph: RetainerGraph = {
    nodes: ['r', 'a', 'b', 't'].map((key, i) => ({
      key,
      kind: i === 0 ? 'root' : 'object',
      name: key,
      selfSize: 1,
      retainedSize: 1,
      distance: i,
      target: key === 't',
    })),
    edges: [
      { from: 'r', to: 'a', kind: 'property', label: '.a' },
      { from: 'a', to: 'b', kind: 'property', label: '.b' },
      { from: 'b', to: 'a', kind: 'property', label: '.parent' },
      { from: 'b', to: 't', kind: 'property', label: '.t' },
    ],
  };
  const { layout } = layoutOf(graph);
  assert.deepEqual(
    ['r', 'a', 'b', 't'].map((k) => layout.layer.get(k)),
    [0, 1, 2, 3],
  );
  assert.deepEqual(layout.back, [false, false, true, false]);
});

test('cutting keeps the leak and a full chain to a root for every kept node', () => {
  const model = new GraphModel(generateRetainerGraph(3000, 5));
  const visible = chooseVisible(model, 500);
  assert.ok(visible.keys.size >= 500 && visible.keys.size < 600, `kept ${visible.keys.size}`);
  assert.equal(visible.hiddenNodes, 3000 - visible.keys.size);
  for (const t of model.targets()) assert.ok(visible.keys.has(t.key));
  const tree = shortestRetainerTree(model, visible.keys);
  const roots = new Set(model.roots(visible.keys));
  for (const k of visible.keys)
    assert.ok(roots.has(k) || pathFromRoot(model, tree, k).length > 0, `node ${k} reaches a root`);
  // Hidden retainers are counted, so the view can offer "+N more" on the node.
  for (const [k, n] of visible.hiddenRetainers) {
    assert.equal(
      n,
      (model.incoming.get(k) ?? []).filter((e) => !visible.keys.has(model.edges[e].from)).length,
    );
  }
  // What the user revealed is kept even past the budget.
  const hidden = [...model.nodes.keys()].find((k) => !visible.keys.has(k))!;
  assert.ok(chooseVisible(model, 500, new Set([hidden])).keys.has(hidden));
});

test('merging an answer updates nodes in place and drops duplicate or dangling edges', () => {
  const model = new GraphModel(fixture<RetainerGraph>('library-graph.json'));
  const before = model.edges.length;
  const answer = fixture<{ graph: RetainerGraph }>('library-expand.json').graph;
  assert.deepEqual(model.merge(answer), { addedNodes: 1, addedEdges: 2 });
  assert.equal(model.nodes.get('12')!.moreRetainers, 0);
  assert.deepEqual(model.merge(answer), { addedNodes: 0, addedEdges: 0 });
  model.merge({ nodes: [], edges: [{ from: '12', to: 'nowhere', kind: 'property', label: '.x' }] });
  assert.equal(model.edges.length, before + 2);
});

test("a leak's own retainer path is a drawable graph", () => {
  const report = fixture<{ leaks: Parameters<typeof leakPathGraph>[0][] }>('library-report.json');
  const graph = leakPathGraph(report.leaks[0], 0);
  assert.deepEqual(
    graph.edges.map((e) => e.label),
    ['.native_context', 'context: library', '.books', '[12]'],
  );
  const last = graph.nodes[graph.nodes.length - 1];
  assert.deepEqual([last.kind, last.count, last.target], ['group', 2000, true]);
  assert.equal(readableEdge('</b>'), '</b>');
});
