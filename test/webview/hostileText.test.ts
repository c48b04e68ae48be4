// Heap text that is long, reorders itself or cannot live in XML, in the real webview
// (Chromium): a 100 KB class name is cut (its whole text in the tooltip), a U+202E in a path
// is shown as an escape, names are bidi-isolated, an exported SVG is well-formed XML with no
// NUL, and a size that is not a number draws without a console error.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { LeakReport, RetainerGraph } from '../../src/core/report';
import { launchChromium, openWebview } from './page';
import { startPageServer, type PageServer } from './server';

let browser: Browser;
let server: PageServer;

before(async () => {
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const LONG = 'VeryLongClassName'.repeat(6_000); // ~100 KB
const SPOOF = '/work/app/\u202egpj.exe';

function report(): LeakReport {
  const site = { path: SPOOF, line: 3, column: 7, functionName: 'make' };
  return {
    leaks: [
      {
        name: LONG,
        count: 2000,
        retainedSize: 1_000_000,
        growthPerIteration: 1000,
        explanation: `2,000 ${LONG} objects are kept alive by the array \`list\``,
        allocationSites: [{ ...site, stack: [] }],
        retainerPath: [
          { edge: null, node: '(GC roots)' },
          { edge: 'list\u0000', node: 'Array' },
          { edge: '[0]', node: LONG },
        ],
      },
    ],
  };
}

function graph(): RetainerGraph {
  return {
    nodes: [
      { key: '1', id: 1, kind: 'root', name: '(GC roots)', selfSize: 0, retainedSize: 10, distance: 0 },
      { key: '2', id: 2, kind: 'array', name: 'Array', selfSize: 16, retainedSize: Number.NaN, distance: 1 },
      {
        key: '3',
        id: 3,
        kind: 'object',
        name: `${LONG}\u0000`,
        selfSize: 16,
        retainedSize: 16,
        distance: 2,
        target: true,
        allocationSite: { path: SPOOF, line: 3, column: 7, functionName: 'make' },
      },
    ],
    edges: [
      { from: '1', to: '2', kind: 'property', label: 'list\u0000\u0007' },
      { from: '2', to: '3', kind: 'element', label: '[0]\u202e' },
    ],
  };
}

test('a 100 KB class name is cut with its whole text in the tooltip, and a bidi override shows as an escape', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send({ type: 'showReport', report: report() });
  await wv.waitForPosted('selectLeak');
  const name = wv.page.locator('#leaks .leak-name').first();
  const text = (await name.textContent()) ?? '';
  assert.ok(text.length < 300, `shown: ${text.length} characters`);
  assert.ok(text.endsWith('…'));
  assert.equal(await name.getAttribute('title'), LONG, 'the whole name is in the tooltip');
  assert.equal(await name.getAttribute('dir'), 'auto', 'isolated for bidi');
  const item = await wv.page.locator('#leaks li.leak').first().boundingBox();
  assert.ok(item && item.height < 1000, `one list item is ${item?.height} px tall (was 102,513 px)`);
  const sentence = (await wv.page.locator('#leaks .leak-sentence').first().textContent()) ?? '';
  assert.ok(sentence.length <= 600, `sentence ${sentence.length} characters`);
  const title = (await wv.page.locator('#title').textContent()) ?? '';
  assert.ok(title.length <= 200, `title ${title.length} characters`);
  const site = wv.page.locator('#leaks .site-link').first();
  assert.equal(await site.textContent(), '\\u202egpj.exe:3:7', 'the override is visible, not obeyed');
  assert.doesNotMatch((await site.getAttribute('title')) ?? '', /\u202e/);
  assert.deepEqual(await wv.cspViolations(), []);
  assert.deepEqual(wv.problems, []);
  await wv.close();
});

test('an exported SVG is well-formed XML without NUL, and a NaN size draws no invalid <rect>', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send({ type: 'showReport', report: report() });
  await wv.waitForPosted('selectLeak');
  await wv.send({ type: 'showGraph', leakIndex: 0, graph: graph() });
  await wv.page.waitForSelector('g.node[data-key="3"]');
  const labels = await wv.page.locator('.edge-label').allTextContents();
  assert.ok(labels.includes('list\\u0000\\u0007'), JSON.stringify(labels));
  assert.ok(labels.includes('[0]\\u202e'), JSON.stringify(labels));
  await wv.page.click('#export');
  const [msg] = await wv.waitForPosted('exportSvg');
  assert.ok(!msg.svg.includes('\u0000'), 'no NUL in the file');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(msg.svg, /[\u0001-\u0008\u000b\u000c\u000e-\u001f]/);
  const parsed = await wv.page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.nodeName };
  }, msg.svg);
  assert.deepEqual(parsed, { error: 0, root: 'svg' }, 'well-formed XML');
  const widths = await wv.page
    .locator('rect.bar')
    .evaluateAll((els) => els.map((e) => e.getAttribute('width')));
  assert.ok(
    widths.every((w) => w !== null && Number.isFinite(Number(w))),
    JSON.stringify(widths),
  );
  assert.deepEqual(wv.problems, [], 'no console error (such as "<rect> attribute width: NaN")');
  await wv.close();
});
