// The snapshot workbench view in real Chromium: suspects → dominator tree → Summary, driven
// by keyboard and mouse, in each theme, with hostile heap strings shown as text. The
// messages are what the worker answers for a hand-made heap (the real engine, no fixture).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ShowWorkbenchMessage } from '../../src/contracts/webview';
import { SnapshotParser } from '../../src/core/parser';
import { analyze } from '../../src/core/graph/analysis';
import { AnalysedSnapshot } from '../../src/core/analysedSnapshot';
import { snapshotJson, TestEdge, TestNode } from '../helpers/graphs';
import { launchChromium, openWebview, type WebviewPage } from './page';
import { REPO_ROOT, startPageServer, type PageServer } from './server';
import { THEMES } from './themes';

// Starts with a letter: a name starting with '<' is read as a DOM tag and shortened.
const HOSTILE = 'Evil"><img src=x onerror=alert(1)>';
const OUT = path.join(REPO_ROOT, 'test-artifacts/webview');
let browser: Browser;
let server: PageServer;
let session: AnalysedSnapshot;

/** global .cache → Map (table) → 200 objects of a class with a hostile name, and an `Other`. */
function heap(): AnalysedSnapshot {
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    { type: 'object', name: 'global', size: 40 },
    { type: 'object', name: 'Map', size: 32 },
    { type: 'array', name: '', size: 1616 },
    { type: 'object', name: 'Other', size: 5000 },
  ];
  const edges: TestEdge[] = [
    { from: 0, to: 1, type: 'element', name: 1 },
    { from: 1, to: 2, type: 'property', name: 'cache' },
    { from: 2, to: 3, type: 'internal', name: 'table' },
    { from: 1, to: 4, type: 'property', name: HOSTILE },
  ];
  for (let i = 0; i < 200; i++) {
    nodes.push({ type: 'object', name: HOSTILE, size: 100 });
    edges.push({ from: 3, to: nodes.length - 1, type: 'internal', name: String(i) });
  }
  const p = new SnapshotParser();
  p.write(snapshotJson(nodes, edges));
  return new AnalysedSnapshot(analyze(p.end()));
}

function workbenchMessage(): ShowWorkbenchMessage {
  return {
    type: 'showWorkbench',
    title: 'app.heapsnapshot',
    suspects: session.suspects(),
    dominators: session.dominators({ depth: 1 })!,
    summary: session.summaryByLocation(),
  };
}

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  session = heap();
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function clean(wv: WebviewPage): Promise<void> {
  assert.deepEqual(wv.problems, []);
  assert.deepEqual(await wv.cspViolations(), []);
  assert.equal(await wv.page.locator('#workbench img').count(), 0, 'heap text never becomes markup');
}

test('suspects: the sentence is text, a click opens the container’s graph', async () => {
  const wv = await openWebview(browser, server.url);
  const msg = workbenchMessage();
  assert.equal(msg.suspects[0].kind, 'accumulation');
  await wv.send(msg);
  const sentence = wv.page.locator('.wb-sentence').first();
  await sentence.waitFor();
  assert.equal(await sentence.textContent(), msg.suspects[0].sentence);
  assert.ok((await sentence.textContent())!.includes(`200 ${HOSTILE} objects`));
  await wv.page.locator('.wb-suspects .leak-select').first().click();
  const [select] = await wv.waitForPosted('selectNode');
  assert.equal(select.id, msg.suspects[0].id);
  // The host answers with the container's retainer graph: the workbench stays beside it.
  await wv.send({ type: 'showGraph', graph: session.retainerGraph(select.id)!, title: 'Why is Map alive?' });
  await wv.page.waitForSelector('svg#graph g.node.target');
  assert.ok(
    await wv.page.locator('#workbench-heading', { hasText: 'Snapshot' }).isVisible(),
    'the workbench is still shown',
  );
  assert.ok(await sentence.isVisible());
  await clean(wv);
  await wv.close();
});

test('dominator tree: arrow keys move and expand, Enter opens the graph', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(workbenchMessage());
  const tabs = wv.page.locator('.wb-tab');
  await tabs.first().focus();
  await wv.page.keyboard.press('ArrowRight');
  assert.equal(await wv.page.locator('.wb-tab[aria-selected="true"]').textContent(), 'Dominator tree');
  const items = wv.page.locator('[role="treeitem"]');
  await items.first().waitFor();
  assert.equal(await items.first().getAttribute('aria-expanded'), 'true', 'the root comes expanded');
  await items.first().focus();
  await wv.page.keyboard.press('ArrowDown');
  const global = items.nth(1);
  assert.match((await global.textContent())!, /global/);
  assert.equal(await global.getAttribute('aria-expanded'), 'false');
  await wv.page.keyboard.press('ArrowRight');
  const [expand] = await wv.waitForPosted('expandDominator');
  assert.equal(expand.id, Number(await global.getAttribute('data-id')));
  // The host answers with the row and its children, largest first.
  await wv.send({ type: 'dominatorChildren', row: session.dominators({ id: expand.id, depth: 1 })! });
  await wv.page.waitForSelector('[role="treeitem"][aria-level="3"]');
  const level3 = await wv.page.locator('[role="treeitem"][aria-level="3"] .wb-name').allTextContents();
  assert.deepEqual(level3.slice(0, 2), ['cache: Map', `${HOSTILE}: Other`]);
  assert.equal(
    await wv.page.evaluate(() => document.activeElement?.getAttribute('aria-level')),
    '2',
    'focus stays on the expanded row',
  );
  await wv.page.keyboard.press('ArrowDown');
  await wv.page.keyboard.press('Enter');
  const selects = await wv.waitForPosted('selectNode');
  assert.equal(selects.at(-1)!.id, session.dominators({ id: expand.id, depth: 1 })!.children![0].id);
  // ArrowLeft folds the row again.
  await wv.page.keyboard.press('ArrowUp');
  await wv.page.keyboard.press('ArrowLeft');
  await wv.page.waitForSelector('[role="treeitem"][aria-level="3"]', { state: 'detached' });
  await clean(wv);
  await wv.close();
});

test('summary: sortable by count, self and retained size, with a filter box', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(workbenchMessage());
  await wv.page.locator('.wb-tab', { hasText: 'Summary' }).click();
  const names = (): Promise<string[]> => wv.page.locator('.wb-summary .wb-row').allTextContents();
  await wv.page.waitForSelector('.wb-summary .wb-row');
  assert.equal(await wv.page.locator('th[aria-sort="descending"]').textContent(), 'Retained');
  await wv.page.locator('.wb-sort', { hasText: 'Count' }).click();
  assert.equal((await names())[0], HOSTILE, 'the 200 objects are the most numerous');
  assert.equal(await wv.page.locator('th[aria-sort="descending"]').textContent(), 'Count');
  await wv.page.fill('.wb-filter', 'oth');
  assert.deepEqual(await names(), ['Other']);
  await wv.page.fill('.wb-filter', 'onerror');
  assert.deepEqual(await names(), [HOSTILE]);
  await wv.page.locator('.wb-row').first().press('Enter');
  const [select] = await wv.waitForPosted('selectNode');
  assert.equal(select.id, session.summaryByLocation().find((r) => r.name === HOSTILE)!.largestId);
  await clean(wv);
  await wv.close();
});

test('the Summary is asked for when its tab is first shown, once, and drawn when it comes', async () => {
  const wv = await openWebview(browser, server.url);
  const { summary: _rows, ...first } = workbenchMessage();
  await wv.send(first);
  await wv.page.locator('.wb-tab', { hasText: 'Summary' }).click();
  await wv.waitForPosted('summaryRows');
  await wv.page.locator('.wb-tab', { hasText: 'Suspects' }).click();
  await wv.page.locator('.wb-tab', { hasText: 'Summary' }).click();
  assert.equal(
    (await wv.posted()).filter((m) => m.type === 'summaryRows').length,
    1,
    'asked once until answered',
  );
  await wv.send({ type: 'showSummaryRows', summary: session.summaryByLocation() });
  await wv.page.waitForSelector('.wb-summary .wb-row');
  assert.ok((await wv.page.locator('.wb-summary .wb-row').allTextContents()).includes(HOSTILE));
  await clean(wv);
  await wv.close();
});

for (const theme of THEMES) {
  test(`workbench in ${theme.name}: readable and screenshotted`, async () => {
    const wv = await openWebview(browser, server.url, { theme });
    await wv.send(workbenchMessage());
    await wv.page.locator('.wb-sentence').first().waitFor();
    const colour = (sel: string): Promise<string> =>
      wv.page.evaluate((s) => getComputedStyle(document.querySelector(s)!).color, sel);
    const background = await wv.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(await colour('.wb-sentence'), background);
    assert.notEqual(
      await colour('.wb-tab.selected'),
      await wv.page.evaluate(
        () => getComputedStyle(document.querySelector('.wb-tab.selected')!).backgroundColor,
      ),
    );
    await wv.page.screenshot({ path: path.join(OUT, `workbench-suspects-${theme.name}.png`) });
    await wv.page.locator('.wb-tab', { hasText: 'Dominator tree' }).click();
    await wv.page.screenshot({ path: path.join(OUT, `workbench-dominators-${theme.name}.png`) });
    await clean(wv);
    await wv.close();
  });
}

test('compare with…: the page asks, the host answers with growth by class and growth suspects', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(workbenchMessage());
  await wv.page.locator('.wb-compare').click();
  await wv.waitForPosted('compareWith');
  // The answer the worker gives: the same heap without its 200 hostile objects, compared with it.
  const before = (() => {
    const nodes: TestNode[] = [
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'global', size: 40 },
    ];
    const p = new SnapshotParser();
    p.write(snapshotJson(nodes, [{ from: 0, to: 1, type: 'element', name: 1 }]));
    return analyze(p.end());
  })();
  await wv.send({
    type: 'showComparison',
    other: `${HOSTILE}.heapsnapshot`,
    comparison: session.compareWith(before),
  });
  const tab = wv.page.locator('.wb-tab[aria-selected="true"]');
  assert.equal(await tab.textContent(), 'Comparison');
  assert.equal(
    await wv.page.evaluate(() => document.activeElement?.textContent),
    'Comparison',
    'focus follows the new tab',
  );
  const row = wv.page.locator('.wb-comparison tr').filter({ hasText: HOSTILE }).first();
  assert.deepEqual((await row.locator('td').allTextContents()).slice(0, 2), [HOSTILE, '200']);
  assert.equal(await wv.page.locator('.wb-intro').textContent(), `Since ${HOSTILE}.heapsnapshot:`);
  await wv.page.locator('.wb-suspects .leak-select').first().click();
  const selects = await wv.waitForPosted('selectNode');
  assert.equal(selects.at(-1)!.id, session.suspects()[0].id, 'the growth accumulates in the same Map');
  await wv.page.screenshot({ path: path.join(OUT, 'workbench-comparison.png') });
  await clean(wv);
  await wv.close();
});
