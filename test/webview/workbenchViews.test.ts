// The workbench's Attribution and Waste tabs, merged paths in the graph panel, and the tabs
// beside a debug session's graph or report, in real Chromium: keyboard, every theme, hostile
// heap strings as text, CSP. The messages are the engine's answers about a real V8 snapshot
// of a program written for it: a package whose directory name is markup keeps 3,000 objects,
// one hostile string is held 1,000 times, 50 Maps are empty, a slice keeps a 20 KB string.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ShowWorkbenchMessage } from '../../src/contracts/webview';
import type { LeakReport } from '../../src/core/report';
import { AnalysedSnapshot } from '../../src/core/analysedSnapshot';
import { analyzeParallel } from '../../src/core/graph/parallel';
import { loadSnapshotFile } from '../../src/core/load';
import { snapshotOf } from '../helpers/snapshots';
import { fixture, launchChromium, openWebview, type WebviewPage } from './page';
import { REPO_ROOT, startPageServer, type PageServer } from './server';
import { THEMES } from './themes';

// A directory name may hold all of this (no slash): the package name is heap text too.
const HOSTILE = 'Evil"><img src=x onerror=alert(1)>';
const DUPLICATE = `${HOSTILE} \n\u202e${'dup'.repeat(30)}`;
const PROGRAM = `
const fs = require('fs'), path = require('path');
const pkg = path.join(__dirname, 'node_modules', ${JSON.stringify(HOSTILE)});
fs.mkdirSync(pkg, { recursive: true });
fs.writeFileSync(path.join(pkg, 'index.js'),
  "class Entry { constructor(i) { this.i = i; this.tag = 'e' + i; } }\\nconst entries = [];\\nexports.add = (i) => entries.push(new Entry(i));\\n");
const lib = require(pkg);
for (let i = 0; i < 3000; i++) lib.add(i);
// Joined at run time: each is a string of its own with the same content (a literal would be one).
globalThis.copies = Array.from({ length: 1000 }, () => [${JSON.stringify(HOSTILE)}, '\\n\\u202e' + 'dup'.repeat(30)].join(' '));
globalThis.empties = Array.from({ length: 50 }, () => new Map());
const big = 'y'.repeat(20000) + Math.random();
globalThis.slice = big.slice(5, 40);
`;
const OUT = path.join(REPO_ROOT, 'test-artifacts/webview');
let browser: Browser;
let server: PageServer;
let session: AnalysedSnapshot;

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  session = new AnalysedSnapshot(
    await analyzeParallel(await loadSnapshotFile(snapshotOf('wb-views', PROGRAM))),
  );
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function workbenchMessage(alongside = false): ShowWorkbenchMessage {
  return {
    type: 'showWorkbench',
    title: 'wb-views.heapsnapshot',
    suspects: session.suspects(),
    dominators: session.dominators({ depth: 1 })!,
    summary: session.summaryByLocation(),
    ...(alongside ? { alongside } : {}),
  };
}

async function clean(wv: WebviewPage): Promise<void> {
  assert.deepEqual(wv.problems, []);
  assert.deepEqual(await wv.cspViolations(), []);
  assert.equal(await wv.page.locator('img').count(), 0, 'heap text never becomes markup');
}

/** Moves along the tab list with the arrow keys until `name` is selected. */
async function tabTo(wv: WebviewPage, name: string): Promise<void> {
  await wv.page.locator('.wb-tab[aria-selected="true"]').focus();
  for (let i = 0; i < 8; i++) {
    if ((await wv.page.locator('.wb-tab[aria-selected="true"]').textContent()) === name) return;
    await wv.page.keyboard.press('ArrowRight');
  }
  assert.fail(`no tab ${name}`);
}

test('attribution: asked for when first shown, by package then by file, rows as text opening graphs', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(workbenchMessage());
  await tabTo(wv, 'Attribution');
  const [ask] = await wv.waitForPosted('attribution');
  assert.deepEqual(ask, { type: 'attribution', by: 'package' });
  assert.equal(await wv.page.locator('.wb-busy[aria-busy="true"]').count(), 1, 'says it is computing');
  const byPackage = session.attribution('package');
  await wv.send({ type: 'showAttribution', attribution: byPackage });
  const row = wv.page.locator('.wb-attribution tr').filter({ hasText: HOSTILE });
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  const own = byPackage.rows.find((r) => r.name === HOSTILE)!;
  assert.ok(own.count >= 3000, `the package's 3,000 entries are charged to it (${own.count})`);
  assert.equal(cells[0], HOSTILE);
  assert.equal(cells[2], `${((100 * own.retainedSize) / byPackage.total).toFixed(1)}%`);
  assert.equal(cells[3], own.count.toLocaleString('en-US'));
  // "(no owner)" has no object of its own to explain: plain text, not a button.
  assert.equal(
    await wv.page.locator('.wb-attribution tr', { hasText: '(no owner)' }).locator('button').count(),
    0,
  );
  await row.locator('.wb-row').press('Enter');
  const [select] = await wv.waitForPosted('selectNode');
  assert.equal(select.id, own.largestId);
  // By file: asked once, the file path (hostile directory and all) shown as text.
  await wv.page.locator('[data-by="file"]').click();
  const asks = await wv.waitForPosted('attribution', 2);
  assert.deepEqual(asks[1], { type: 'attribution', by: 'file' });
  assert.equal(await wv.page.evaluate(() => document.activeElement?.getAttribute('data-by')), 'file');
  await wv.send({ type: 'showAttribution', attribution: session.attribution('file') });
  const file = wv.page.locator('.wb-attribution .wb-row', { hasText: `node_modules/${HOSTILE}/index.js` });
  await file.waitFor();
  assert.equal(await wv.page.locator('th.wb-class').textContent(), 'File');
  // Back to packages: already known, not asked again.
  await wv.page.locator('[data-by="package"]').click();
  await row.waitFor();
  assert.equal((await wv.waitForPosted('attribution')).length, 2);
  await clean(wv);
  await wv.close();
});

test('waste: duplicated strings escaped and cut, slices, empty Maps, each row opening its object', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(workbenchMessage());
  await wv.page.locator('.wb-tab', { hasText: 'Waste' }).click();
  await wv.waitForPosted('waste');
  const waste = session.waste();
  await wv.send({ type: 'showWaste', waste });
  // The worker's preview is already cut (80 characters); the row cuts it again, to 60.
  const dup = waste.duplicateStrings.find((d) => d.preview.startsWith(HOSTILE))!;
  assert.equal(dup.count, 1000);
  assert.equal(dup.length, DUPLICATE.length);
  const button = wv.page.locator('.wb-waste .wb-row').first();
  await button.waitFor();
  // The newline and the right-to-left override are made visible, never obeyed.
  const shown = (await button.textContent())!;
  assert.ok(shown.startsWith(`"${HOSTILE}`), shown);
  assert.ok(!shown.includes('\n') && !shown.includes('\u202e'), `control characters escaped: ${shown}`);
  assert.match(shown, /\\n/);
  assert.ok(Array.from(shown).length <= 60 && shown.endsWith('…'), `cut to 60 characters: ${shown}`);
  const full = (await button.getAttribute('title'))!;
  assert.ok(full.startsWith(`"${HOSTILE} \\n\\u202edupdup`), `the tooltip has the rest: ${full}`);
  assert.ok(full.endsWith(`(${DUPLICATE.length} chars)`), full);
  const cells = await wv.page.locator('.wb-waste tr').nth(1).locator('td').allTextContents();
  assert.equal(cells[1], '1,000');
  await button.press('Enter');
  const [select] = await wv.waitForPosted('selectNode');
  assert.equal(select.id, dup.sampleIds[0]);
  // The slice keeping its 20 KB parent, and the 50 empty Maps (Node's own among them).
  assert.ok(waste.slicedStrings.some((s) => s.parentSize >= 20000));
  await wv.page
    .locator('.wb-waste .wb-row', { hasText: /^"yyyy/ })
    .first()
    .click();
  const selects = await wv.waitForPosted('selectNode', 2);
  assert.equal(selects[1].id, waste.slicedStrings[0].id);
  const maps = wv.page.locator('.wb-waste .wb-row', { hasText: /^[\d,]+ empty Map$/ });
  assert.ok(Number((await maps.textContent())!.split(' ')[0].replace(/,/g, '')) >= 50);
  await clean(wv);
  await wv.close();
});

test('merged paths: from a Summary row by keyboard, drawn in the graph panel with counts on the edges', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(workbenchMessage());
  await wv.page.locator('.wb-tab', { hasText: 'Summary' }).click();
  await wv.page.fill('.wb-filter', 'Entry');
  const entry = wv.page.locator('.wb-summary tr', {
    has: wv.page.locator('.wb-row', { hasText: /^Entry \(/ }),
  });
  await entry.locator('.wb-row').focus();
  await wv.page.keyboard.press('Tab');
  assert.equal(await wv.page.evaluate(() => document.activeElement?.className), 'wb-merge secondary');
  await wv.page.keyboard.press('Enter');
  const [ask] = await wv.waitForPosted('mergedPaths');
  const row = session.summaryByLocation().find((r) => r.name === 'Entry')!;
  assert.deepEqual(ask, { type: 'mergedPaths', id: row.largestId, by: 'site' });
  const view = session.mergedPaths({ id: ask.id, by: ask.by })!;
  assert.equal(view.targets, 3000);
  await wv.send({
    type: 'showGraph',
    graph: view.graph,
    title: `Shortest paths of 3,000 ${view.name} objects, merged`,
  });
  await wv.page.waitForSelector('svg#graph g.node.target');
  const labels = await wv.page.locator('svg#graph .edge-label, svg#graph g.edge text').allTextContents();
  assert.ok(
    labels.some((l) => l.includes('×3,000')),
    `an edge counts the 3,000 paths: ${labels.join(' | ')}`,
  );
  const target = await wv.page.locator('svg#graph g.node.target').first().textContent();
  assert.match(target!, /× 3,000 Entry/, 'the 3,000 entries are one box');
  // The class list (a debug session's heap overview) offers the same, by class name.
  await wv.send({
    type: 'showSummary',
    title: 'Heap by class',
    classes: session.summary(20).map((c) => ({ ...c, name: c.name === 'Entry' ? HOSTILE : c.name })),
  });
  await wv.page.locator('.leaks .wb-merge').first().press('Enter');
  const asks = await wv.waitForPosted('mergedPaths', 2);
  assert.equal(asks[1].by, 'class');
  await clean(wv);
  await wv.close();
});

test('beside a debug session’s graph: the tabs come alongside, the title stays', async () => {
  const wv = await openWebview(browser, server.url);
  const id = session.suspects()[0].id;
  await wv.send({ type: 'showGraph', graph: session.retainerGraph(id)!, title: 'Why is entry alive?' });
  await wv.send(workbenchMessage(true));
  await wv.page.locator('#workbench-heading').waitFor();
  assert.equal(await wv.page.locator('#title').textContent(), 'Why is entry alive?');
  assert.deepEqual(await wv.page.locator('.wb-tab').allTextContents(), [
    `Suspects (${session.suspects().length})`,
    'Dominator tree',
    'Summary',
    'Attribution',
    'Waste',
  ]);
  assert.ok(await wv.page.locator('svg#graph g.node.target').count(), 'the object’s graph is still drawn');
  await clean(wv);
  await wv.close();
});

test('beside a live hunt’s report: a suspect’s graph, then a leak of the list again', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send({ type: 'showReport', report: fixture<LeakReport>('library-report.json') });
  await wv.waitForPosted('selectLeak');
  await wv.send(workbenchMessage(true));
  await wv.page.locator('.wb-suspects .leak-select').first().click();
  const [select] = await wv.waitForPosted('selectNode');
  await wv.send({
    type: 'showGraph',
    graph: session.retainerGraph(select.id)!,
    title: 'Why is Array alive?',
  });
  await wv.page.waitForSelector('svg#graph g.node.target');
  assert.ok(await wv.page.locator('#leaks-section').isVisible(), 'the leak list stays');
  await wv.page.locator('#leaks .leak-select').nth(1).click();
  const leaks = await wv.waitForPosted('selectLeak', 2);
  assert.deepEqual(leaks[1], { type: 'selectLeak', index: 1 }, 'the list still answers');
  await clean(wv);
  await wv.close();
});

for (const theme of THEMES) {
  test(`attribution and waste in ${theme.name}: readable and screenshotted`, async () => {
    const wv = await openWebview(browser, server.url, { theme });
    await wv.send(workbenchMessage());
    const background = await wv.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const colour = (sel: string): Promise<string> =>
      wv.page.evaluate((s) => getComputedStyle(document.querySelector(s)!).color, sel);
    await wv.page.locator('.wb-tab', { hasText: 'Attribution' }).click();
    await wv.send({ type: 'showAttribution', attribution: session.attribution('package') });
    await wv.page.locator('.wb-attribution .wb-row').first().waitFor();
    assert.notEqual(await colour('.wb-attribution .wb-row'), background);
    assert.notEqual(
      await colour('.wb-toggle .wb-tab.selected'),
      await wv.page.evaluate(
        () => getComputedStyle(document.querySelector('.wb-toggle .wb-tab.selected')!).backgroundColor,
      ),
    );
    await wv.page.screenshot({ path: path.join(OUT, `workbench-attribution-${theme.name}.png`) });
    await wv.page.locator('.wb-tab', { hasText: 'Waste' }).click();
    await wv.send({ type: 'showWaste', waste: session.waste() });
    await wv.page.locator('.wb-waste .wb-row').first().waitFor();
    assert.notEqual(await colour('.wb-waste .wb-row'), background);
    await wv.page.screenshot({ path: path.join(OUT, `workbench-waste-${theme.name}.png`) });
    await clean(wv);
    await wv.close();
  });
}
