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
  // Past 600 nodes the graph is built lazily (what the view shows first, the rest when idle);
  // the <svg> is aria-busy until all of it is built.
  await wv.page.waitForSelector('#graph:not([aria-busy])');
  const more = await wv.page.locator('g.node').count();
  assert.ok(more >= drawn + 900, `"more" drew ${more - drawn} more nodes`);
  assert.deepEqual(wv.problems, []);
  await wv.close();
});

test('a 5,000-node graph first draws what the view shows; keys, highlights and export reach the rest', async () => {
  const wv = await openWebview(browser, server.url);
  wv.page.setDefaultTimeout(30_000);
  const graph = generateRetainerGraph(5000, 2);
  const first = await wv.page.evaluate(async (g) => {
    const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const handled = new Promise<void>((resolve) =>
      window.addEventListener('message', () => resolve(), { once: true }),
    );
    window.postMessage({ type: 'showGraph', graph: g }, '*');
    await handled;
    await frame();
    const svg = document.getElementById('graph')!;
    return {
      keys: [...document.querySelectorAll('g.node')].map((n) => n.getAttribute('data-key')),
      built: document.querySelectorAll('g.node').length,
      busy: svg.getAttribute('aria-busy'),
      target: document.querySelectorAll('g.node.target').length,
    };
  }, graph);
  assert.ok(first.built > 0 && first.built < 5000, `first frame built ${first.built} nodes`);
  assert.equal(first.busy, 'true', 'busy while the rest is built');
  assert.equal(first.target, 1, 'the explained object is in the first frame');
  // Up from the leak, then along a layer, far outside the first view.
  await wv.page.focus('g.node[tabindex="0"]');
  for (let i = 0; i < 2; i++) await wv.page.keyboard.press('ArrowUp');
  for (let i = 0; i < 40; i++) await wv.page.keyboard.press('ArrowRight');
  const focused = await wv.page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
  assert.ok(focused !== null, 'focus stays on a drawn node');
  assert.ok(
    !first.keys.includes(focused),
    `the keys reached ${focused}, which the first frame had not built`,
  );
  assert.ok(
    await wv.page.evaluate(() => document.querySelectorAll('g.node.hl').length > 1),
    'its path is lit',
  );
  await wv.page.waitForSelector('#graph:not([aria-busy])');
  assert.equal(await wv.page.locator('g.node').count(), 5000, 'all of it is built in the end');
  assert.equal(await wv.page.locator('g.node[tabindex="0"]').count(), 1, 'one Tab stop');
  await wv.page.click('#export');
  const [msg] = await wv.waitForPosted('exportSvg');
  const svg = (msg as { svg: string }).svg;
  assert.equal(svg.match(/class="node /g)?.length, 5000, 'the export has every node');
  assert.deepEqual(wv.problems, []);
  await wv.close();
});
