// Big graphs: 5,000 nodes lay out and stay interactive; bigger ones are cut to their
// most important paths with a visible "N more" that draws more on demand.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { generateRetainerGraph } from './generateGraph';
import { launchChromium, openWebview } from './page';
import { THEMES } from './themes';
import { REPO_ROOT, startPageServer, type PageServer } from './server';

let browser: Browser;
let server: PageServer;

before(async () => {
  fs.mkdirSync(path.join(REPO_ROOT, 'test-artifacts/webview'), { recursive: true });
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a 5,000-node graph is drawn whole and still answers hover and keys', async () => {
  const wv = await openWebview(browser, server.url, { theme: THEMES[1] });
  wv.page.setDefaultTimeout(30_000);
  const graph = generateRetainerGraph(5000);
  await wv.send({ type: 'showGraph', graph });
  await wv.page.waitForFunction(() => document.querySelectorAll('g.node').length === 5000);
  assert.equal(await wv.page.locator('#more').isHidden(), true, 'nothing cut at 5,000');
  // Too big to fit readably: the view starts on the leak, labels on.
  assert.ok(await wv.page.locator('g.node.target .name').isVisible(), 'leak label readable at first paint');
  await wv.page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts/webview/graph-5000.png') });

  // Interactive: a key press moves focus and lights a path, promptly.
  await wv.page.focus('g.node[tabindex="0"]');
  const started = Date.now();
  await wv.page.keyboard.press('ArrowUp');
  await wv.page.waitForFunction(() => document.querySelectorAll('g.node.hl').length > 1);
  const took = Date.now() - started;
  assert.ok(took < 2000, `ArrowUp answered in ${took} ms`);
  assert.deepEqual(await wv.cspViolations(), []);
  assert.deepEqual(wv.problems, []);
  await wv.close();
});

test('a bigger graph is cut to the important paths with "N more"', async () => {
  const wv = await openWebview(browser, server.url);
  const graph = generateRetainerGraph(1500, 7);
  await wv.send({ type: 'showGraph', graph, maxVisibleNodes: 400 });
  await wv.page.waitForSelector('#more:not([hidden])');
  const drawn = await wv.page.locator('g.node').count();
  assert.ok(drawn >= 400 && drawn < 520, `cut to about the budget, drew ${drawn}`);
  assert.equal(await wv.page.locator('g.node.target').count(), 1, 'the leak is always kept');
  assert.equal(await wv.page.locator('#more').innerText(), `${(1500 - drawn).toLocaleString('en-US')} more`);

  // That every kept node keeps a chain to a root is checked in layout.test.ts.
  await wv.page.click('#more');
  await wv.page.waitForFunction((n) => document.querySelectorAll('g.node').length > n, drawn);
  const more = await wv.page.locator('g.node').count();
  assert.ok(more >= drawn + 900, `"more" drew ${more - drawn} more nodes`);
  assert.deepEqual(wv.problems, []);
  await wv.close();
});
