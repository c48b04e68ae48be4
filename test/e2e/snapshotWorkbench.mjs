// e2e scenario d (heaplens.e2e.mjs runs it): a .heapsnapshot opened in the editor, walked as a
// person would: suspects → dominator tree → a row's graph → the Summary → a class's merged
// paths → Attribution by package and by file → Waste, a screenshot after each step.

import assert from 'node:assert/strict';
import { until } from './workbench.mjs';

/** `wb`: the running Workbench (code-server and its browser page); `graphNodes(frame)`: the graph's nodes as drawn. */
export async function walkSnapshotWorkbench(wb, graphNodes) {
  // VS Code's built-in Heap Snapshot viewer (js-profile-table, shipped with js-debug) claims
  // *.heapsnapshot too and wins a plain click: a person uses Open With… → Heap Lens.
  await wb.contextMenu(await wb.explorerRow('widgets.heapsnapshot'), 'Open With...');
  await wb.pick(/^Heap Lens$/);
  await until('widgets.heapsnapshot in front', async () =>
    (await wb.activeTab().getAttribute('aria-label'))?.startsWith('widgets.heapsnapshot'),
  );
  const view = wb.webview();
  // 1. Leak suspects first: the 2,000 Widgets accumulate in the array `widgetRegistry`.
  await view
    .locator('#workbench-heading', { hasText: 'Snapshot' })
    .waitFor({ state: 'visible', timeout: 60_000 });
  const suspect = view
    .locator('.wb-suspects .leak')
    .filter({ has: view.locator('.leak-name', { hasText: /^Widget × 2,000$/ }) })
    .first();
  await suspect.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(
    await suspect.locator('.wb-sentence').innerText(),
    /^2,000 Widget objects \(.+\) accumulate in the Array `widgetRegistry`, a global\.$/,
  );
  // The first view also draws the top suspect's retainer graph.
  await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 30_000 });
  await wb.shot('d1-snapshot-suspects');

  // 2. The dominator tree: expand the global object, find the registry among its children.
  await view.locator('.wb-tab', { hasText: 'Dominator tree' }).click();
  const globalRow = view
    .locator('[role="treeitem"][aria-level="2"]')
    .filter({ has: view.locator('.wb-name', { hasText: /: global$/ }) })
    .first();
  await globalRow.waitFor({ state: 'visible', timeout: 10_000 });
  await globalRow.focus();
  await wb.page.keyboard.press('ArrowRight');
  const registry = view
    .locator('[role="treeitem"][aria-level="3"]')
    .filter({ has: view.locator('.wb-name', { hasText: /^widgetRegistry: Array$/ }) })
    .first();
  await registry.waitFor({ state: 'visible', timeout: 30_000 });
  await wb.shot('d2-snapshot-dominator-tree');

  // 3. A row opens its retainer graph.
  await registry.click();
  await until(
    'the graph of the registry',
    async () => /^Why is Array @\d+ alive\?$/.test(await view.locator('#title').innerText()),
    30_000,
  );
  await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 30_000 });
  await wb.shot('d3-snapshot-registry-graph');

  // 4. The Summary, filtered to Widget, opens the graph of one Widget.
  await view.locator('.wb-tab', { hasText: 'Summary' }).click();
  await view.locator('.wb-filter').fill('Widget');
  const row = view
    .locator('.wb-summary .wb-row', { hasText: /^Widget \(make-snapshot\.js:\d+:\d+\)$/ })
    .first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
  await until(
    'the graph of one Widget',
    async () => /^Why is Widget @\d+ alive\?$/.test(await view.locator('#title').innerText()),
    30_000,
  );
  await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 30_000 });
  const nodes = await graphNodes(view);
  assert.equal(nodes.filter((n) => /\btarget\b/.test(n.cls)).length, 1, 'exactly one object is explained');
  assert.ok(
    nodes.some((n) => /\bkind-root\b/.test(n.cls)),
    'with a root above it',
  );
  await wb.shot('d4-snapshot-widget-graph');

  // 5. The same row's merged shortest paths: one tree for the 2,000 Widgets, counts on the edges.
  await view
    .locator('.wb-summary tr', {
      has: view.locator('.wb-row', { hasText: /^Widget \(make-snapshot\.js:\d+:\d+\)$/ }),
    })
    .locator('.wb-merge')
    .click();
  await until(
    'the merged paths of the Widgets',
    async () =>
      /^Shortest paths of 2,000 Widget \(make-snapshot\.js:\d+:\d+\) objects, merged$/.test(
        await view.locator('#title').innerText(),
      ),
    30_000,
  );
  await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 30_000 });
  const labels = await view.locator('svg#graph .edge-label').allTextContents();
  assert.ok(
    labels.some((l) => l.startsWith('×2,000')),
    `counts on the edges: ${labels.join(' | ')}`,
  );
  await wb.shot('d5-snapshot-merged-paths');

  // 6. Attribution: the Widgets are the program's own (a workspace file, not a package).
  await view.locator('.wb-tab', { hasText: 'Attribution' }).click();
  const app = view.locator('.wb-attribution tr', { hasText: '(app)' }).first();
  await app.waitFor({ state: 'visible', timeout: 60_000 });
  await view.locator('[data-by="file"]').click();
  await view
    .locator('.wb-attribution .wb-row', { hasText: /make-snapshot\.js$/ })
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  await wb.shot('d6-snapshot-attribution');

  // 7. Waste: duplicated strings and empty collections; a row opens its object's graph.
  await view.locator('.wb-tab', { hasText: 'Waste' }).click();
  const dup = view.locator('.wb-waste').first().locator('.wb-row').first();
  await dup.waitFor({ state: 'visible', timeout: 60_000 });
  await dup.click();
  await until(
    'the graph of a duplicated string',
    async () => /^Why is .+ @\d+ alive\?$/.test(await view.locator('#title').innerText()),
    30_000,
  );
  await wb.shot('d7-snapshot-waste');
}
