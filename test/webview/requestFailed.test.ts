// When the host cannot answer a question of the page (the worker holding the snapshot failed or
// ran out of memory), the page says so where the answer would have gone and offers to ask again,
// instead of showing "computing…" forever. Real Chromium, the page exactly as the extension
// serves it; the answers after the retry are the engine's, about a real V8 snapshot.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { AnalysedSnapshot } from '../../src/core/analysedSnapshot';
import { analyzeParallel } from '../../src/core/graph/parallel';
import { loadSnapshotFile } from '../../src/core/load';
import { snapshotOf } from '../helpers/snapshots';
import { launchChromium, openWebview } from './page';
import { startPageServer, type PageServer } from './server';

const PROGRAM = `globalThis.empties = Array.from({ length: 50 }, () => new Map());`;
// What a worker that died says (the code crosses the boundary; the message is for people).
const FAILURE = 'the analysis worker stopped (exit code 134) <b>bold</b>';
let browser: Browser;
let server: PageServer;
let session: AnalysedSnapshot;

before(async () => {
  session = new AnalysedSnapshot(
    await analyzeParallel(await loadSnapshotFile(snapshotOf('wb-failed', PROGRAM))),
  );
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a tab whose question failed shows the error as text with Retry, and Retry asks again', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send({
    type: 'showWorkbench',
    title: 'wb-failed.heapsnapshot',
    suspects: session.suspects(),
    dominators: session.dominators({ depth: 1 })!,
  });
  await wv.page.locator('.wb-tab', { hasText: 'Waste' }).click();
  await wv.waitForPosted('waste');
  await wv.send({ type: 'requestFailed', request: 'waste', code: 'internal', message: FAILURE });
  const alert = wv.page.locator('.wb-error[role="alert"]');
  await alert.waitFor();
  assert.equal(await alert.textContent(), `Could not compute this view: ${FAILURE}`);
  assert.equal(await wv.page.locator('.wb-busy').count(), 0, 'no longer says it is computing');
  assert.equal(await wv.page.locator('b').count(), 0, 'the message is text, never markup');
  // Another tab and back: still the failure, not a second question nobody will answer.
  await wv.page.locator('.wb-tab', { hasText: 'Suspects' }).click();
  await wv.page.locator('.wb-tab', { hasText: 'Waste' }).click();
  await alert.waitFor();
  assert.equal((await wv.waitForPosted('waste')).length, 1);
  await wv.page.locator('.wb-retry').press('Enter');
  assert.equal((await wv.waitForPosted('waste', 2)).length, 2, 'Retry asks the host again');
  await wv.send({ type: 'showWaste', waste: session.waste() });
  await wv.page.locator('.wb-waste').first().waitFor();
  assert.equal(await alert.count(), 0);
  assert.deepEqual(wv.problems, []);
  assert.deepEqual(await wv.cspViolations(), []);
  await wv.close();
});

test('a graph question that failed is said above the graph, and the next answer clears it', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send({ type: 'requestFailed', request: 'selectNode', code: 'no-snapshot', message: FAILURE });
  const failure = wv.page.locator('#failure[role="alert"]');
  await failure.waitFor();
  assert.equal(await failure.textContent(), `Heap Lens could not answer that: ${FAILURE}`);
  // Styled by graph.css, which webview.css imports under the same CSP.
  assert.equal(await failure.evaluate((e) => getComputedStyle(e).position), 'absolute');
  const id = session.dominators({ depth: 1 })!.children![0].id;
  const graph = session.retainerGraph(id, { paths: 3, maxNodes: 50, folded: true });
  assert.ok(graph, 'the engine has a graph for a real object');
  await wv.send({ type: 'showGraph', graph, title: 'after the failure' });
  await wv.page.waitForSelector('svg#graph g.node');
  assert.equal(await failure.isHidden(), true);
  assert.deepEqual(wv.problems, []);
  await wv.close();
});
