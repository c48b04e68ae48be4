// The webview in real Chromium, under the extension's CSP, with only acquireVsCodeApi
// stood in for. Each test opens a fresh page and ends by asserting the page stayed
// clean: no CSP violation, no console error, no uncaught error, no dialog.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { LeakReport, RetainerGraph } from '../../src/core/report';
import type { HostMessage } from '../../src/contracts/webview';
import { fixture, launchChromium, openWebview, type WebviewPage } from './page';
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

async function assertClean(wv: WebviewPage): Promise<void> {
  assert.deepEqual(await wv.cspViolations(), [], 'no CSP violation');
  assert.deepEqual(wv.problems, [], 'no console error, page error or dialog');
}

/** The library leak report with the host's full graph for leak 0. */
async function openLibrary(): Promise<WebviewPage> {
  const wv = await openWebview(browser, server.url);
  await wv.send({ type: 'showReport', report: fixture<LeakReport>('library-report.json') });
  await wv.waitForPosted('selectLeak');
  await wv.send({ type: 'showGraph', leakIndex: 0, graph: fixture<RetainerGraph>('library-graph.json') });
  await wv.page.waitForSelector('g.node[data-key="19"]');
  return wv;
}

const node = (key: string): string => `g.node[data-key="${key}"]`;

async function texts(wv: WebviewPage, selector: string): Promise<string[]> {
  return wv.page.locator(selector).allTextContents();
}

async function focusedKey(wv: WebviewPage): Promise<string | null> {
  return wv.page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
}

test('a report lists its leaks with sentences and draws node and edge labels', async () => {
  const wv = await openLibrary();
  const posted = await wv.posted();
  assert.deepEqual(posted.slice(0, 2), [{ type: 'ready' }, { type: 'selectLeak', index: 0 }]);

  const sentences = await texts(wv, '.leak-sentence');
  assert.equal(sentences.length, 3);
  assert.match(sentences[0], /Library\.books keeps every book/);

  const names = await texts(wv, 'g.node .name');
  for (const expected of ['(GC roots)', 'Library', 'Array', 'Map', 'onBookAdded', '× 2,000 Book']) {
    assert.ok(names.includes(expected), `node label ${expected} in ${names.join(', ')}`);
  }
  const labels = await texts(wv, '.edge-label');
  for (const expected of ['.books', '[12]', 'context: original', 'Map entry', 'listener']) {
    assert.ok(labels.includes(expected), `edge label ${expected} in ${labels.join(', ')}`);
  }
  assert.ok((await texts(wv, 'g.node .preview')).includes('size 2000'), 'value preview shown');
  assert.ok(await wv.page.locator(`${node('12')} .more`).isVisible(), '"+3 more" shown on the array');

  // Layered: GC roots on top, the leak group at the very bottom.
  const y = async (key: string): Promise<number> => (await wv.page.locator(node(key)).boundingBox())!.y;
  const bottom = await y('group:0');
  assert.ok((await y('1')) < (await y('11')), 'root above Library');
  for (const key of ['1', '2', '10', '11', '12', '13', '14', '15', '16', '18', '19']) {
    assert.ok((await y(key)) < bottom, `node ${key} above the leak`);
  }
  await assertClean(wv);
  await wv.close();
});

test('node kinds differ by shape and glyph, not colour alone', async () => {
  const wv = await openLibrary();
  const byKind = await wv.page.evaluate(() => {
    const out: Record<string, { d: string; glyph: string; label: string }> = {};
    for (const g of Array.from(document.querySelectorAll('g.node'))) {
      const kind = Array.from(g.classList).find((c) => c.startsWith('kind-'))!;
      out[kind] = {
        d: g.querySelector('.shape')!.getAttribute('d')!,
        glyph: g.querySelector('.glyph')!.textContent,
        label: g.getAttribute('aria-label')!,
      };
    }
    return out;
  });
  const kinds = ['kind-root', 'kind-system', 'kind-object', 'kind-array', 'kind-closure', 'kind-group'];
  for (const k of kinds) assert.ok(byKind[k], `a ${k} node is drawn`);
  assert.equal(new Set(kinds.map((k) => byKind[k].glyph)).size, kinds.length, 'one glyph per kind');
  assert.equal(
    new Set(['kind-root', 'kind-object', 'kind-array', 'kind-closure'].map((k) => byKind[k].d)).size,
    4,
    'distinct outlines',
  );
  assert.match(byKind['kind-closure'].label, /closure/);
  assert.match(byKind['kind-group'].label, /group of objects/);
  await assertClean(wv);
  await wv.close();
});

test('hover highlights the path to a GC root and shows the tooltip', async () => {
  const wv = await openLibrary();
  await wv.page.hover(node('14'));
  await wv.page.waitForSelector('#tooltip:not([hidden])');
  const lit = await wv.page
    .locator('g.node.hl')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  assert.deepEqual(
    lit.sort(),
    ['1', '13', '14', '19', '2'].sort(),
    'GC roots → Global handles → EventEmitter → … → onBookAdded',
  );
  assert.equal(await wv.page.locator('path.edge.hl').count(), 4);
  // Long labels are cut on the drawing (the full text is in the path list).
  assert.deepEqual(
    (await texts(wv, '.edge-label.hl')).sort(),
    ['(Global handles)', '[12]', '</script><script>alert(1)</…', 'listener'].sort(),
  );
  const tip = await wv.page.locator('#tooltip').innerText();
  for (const part of ['onBookAdded', 'Self size', '32 B', 'Retained size', 'Distance', '@14', 'ui.js:88:5']) {
    assert.ok(tip.includes(part), `tooltip has ${part}: ${tip}`);
  }
  // Leaving the node hides the tooltip and returns the highlight to the selection.
  await wv.page.mouse.move(5, 790);
  await wv.page.waitForSelector('#tooltip', { state: 'hidden' });
  assert.ok((await wv.page.locator(`${node('group:0')}.hl`).count()) === 1, 'selected leak path lit again');
  await assertClean(wv);
  await wv.close();
});

test('clicking a node with more retainers asks the host, and the answer is merged', async () => {
  const wv = await openLibrary();
  await wv.page.click(node('12'));
  const [request] = await wv.waitForPosted('expandRetainers');
  assert.deepEqual(request, { type: 'expandRetainers', key: '12', id: 12 });

  await wv.send(fixture<HostMessage>('library-expand.json'));
  await wv.page.waitForSelector(node('30'));
  assert.ok((await texts(wv, '.edge-label')).includes('.all'), 'new edge label drawn');
  assert.ok((await texts(wv, 'g.node .name')).includes('BookCache'));
  assert.equal(await wv.page.locator(`${node('12')} .more`).count(), 0, '"+3 more" gone once answered');
  assert.equal(await wv.page.locator(node('11')).count(), 1, 'old nodes kept');
  await assertClean(wv);
  await wv.close();
});

test('"Ignore this retainer" asks for the next path and the new graph replaces the old', async () => {
  const wv = await openLibrary();
  await wv.page.click(node('16'));
  await wv.page.getByRole('button', { name: 'Ignore this retainer' }).click();
  const [ignore] = await wv.waitForPosted('ignoreRetainer');
  assert.deepEqual(ignore, { type: 'ignoreRetainer', key: '16', id: 16 });

  await wv.send(fixture<HostMessage>('library-ignored.json'));
  await wv.page.waitForSelector(node('31'));
  assert.equal(await wv.page.locator(node('16')).count(), 0, 'the ignored Map is gone');
  assert.ok((await texts(wv, '.edge-label')).includes('.shelf'));
  // A stale answer for another leak is not drawn over the current one.
  await wv.send({ type: 'showGraph', leakIndex: 2, graph: fixture<RetainerGraph>('library-graph.json') });
  await wv.send({ type: 'showGraph', leakIndex: 0, graph: fixture<RetainerGraph>('library-graph.json') });
  await wv.page.waitForSelector(node('16'));
  await assertClean(wv);
  await wv.close();
});

test('keyboard: one Tab stop, arrows move along retainers, Enter opens the allocation site', async () => {
  const wv = await openLibrary();
  assert.equal(await wv.page.locator('g.node[tabindex="0"]').count(), 1, 'roving tabindex');
  await wv.page.focus('g.node[tabindex="0"]');
  assert.equal(await focusedKey(wv), 'group:0', 'starts on the leak');

  await wv.page.keyboard.press('ArrowUp');
  const up = await focusedKey(wv);
  assert.ok(up === '12' || up === '16', `ArrowUp goes to a retainer, got ${up}`);
  assert.ok((await wv.page.locator('#path li').count()) >= 4, 'path list follows focus');
  await wv.page.keyboard.press('ArrowUp');
  assert.equal(await focusedKey(wv), '11', 'then to Library');
  const box = async (key: string | null) => (await wv.page.locator(node(key!)).boundingBox())!;
  await wv.page.keyboard.press('ArrowRight');
  const right = await focusedKey(wv);
  assert.ok(
    right !== '11' &&
      (await box(right)).y === (await box('11')).y &&
      (await box(right)).x > (await box('11')).x,
    `Right moves along the layer, got ${right}`,
  );
  await wv.page.keyboard.press('ArrowLeft');
  assert.equal(await focusedKey(wv), '11', 'Left comes back');
  await wv.page.keyboard.press('ArrowDown');
  assert.ok(['12', '16'].includes((await focusedKey(wv))!), 'Down goes to what Library retains');
  await wv.page.keyboard.press('End');
  assert.equal(await focusedKey(wv), 'group:0');
  assert.equal(await wv.page.locator('g.node[tabindex="0"]').count(), 1, 'still one Tab stop');

  await wv.page.keyboard.press('Enter');
  const [open] = await wv.waitForPosted('openSource');
  assert.deepEqual(open, {
    type: 'openSource',
    path: '/work/examples/library/src/library.js',
    line: 42,
    column: 17,
  });
  assert.match(await wv.page.locator('#details').innerText(), /2,000/);
  await assertClean(wv);
  await wv.close();
});

test('clicking an allocation site posts openSource with file, line and column', async () => {
  const wv = await openLibrary();
  await wv.page.click(node('14'));
  await wv.page.locator('#details .site-link').click();
  await wv.page.getByRole('button', { name: 'ui.js:88:5' }).first().waitFor();
  await wv.page.locator('.leak-sites .site-link', { hasText: 'library.js:42:17' }).click();
  const opens = await wv.waitForPosted('openSource', 2);
  assert.deepEqual(opens, [
    { type: 'openSource', path: '/work/examples/library/src/ui.js', line: 88, column: 5 },
    { type: 'openSource', path: '/work/examples/library/src/library.js', line: 42, column: 17 },
  ]);
  await assertClean(wv);
  await wv.close();
});

test('search marks matches and Enter jumps to them', async () => {
  const wv = await openLibrary();
  await wv.page.fill('#search', 'map');
  await wv.page.waitForFunction(() => document.getElementById('search-count')!.textContent === '1 match');
  assert.deepEqual(
    await wv.page.locator('g.node.match').evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))),
    ['16'],
  );
  await wv.page.press('#search', 'Enter');
  assert.equal(await focusedKey(wv), '16');
  await wv.page.fill('#search', '@14');
  await wv.page.waitForFunction(() => document.querySelectorAll('g.node.match').length === 1);
  await wv.page.press('#search', 'Escape');
  assert.equal(await wv.page.locator('g.node.match').count(), 0);
  await assertClean(wv);
  await wv.close();
});

test('export posts one standalone SVG with resolved colours', async () => {
  const wv = await openLibrary();
  await wv.page.click('#export');
  const [msg] = await wv.waitForPosted('exportSvg');
  assert.match(msg.svg, /^<svg[\s>]/);
  assert.ok(msg.svg.includes('xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(msg.svg.includes('× 2,000 Book') && msg.svg.includes('Map entry'));
  assert.ok(!msg.svg.includes('var(--'), 'no theme variables left');
  assert.ok(!msg.svg.includes('tabindex'), 'no focus plumbing in the file');
  assert.ok(msg.svg.includes('&lt;img src=x onerror=alert(1)&gt;'), 'heap text stays escaped in the file');
  await assertClean(wv);
  await wv.close();
});

test('hostile heap strings are shown as text and run nothing', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send(fixture<HostMessage>('single-string.json'));
  await wv.page.waitForSelector(node('43'));
  assert.equal(await wv.page.locator('#leaks-section').isHidden(), true, 'no leak list for one object');
  assert.equal(await wv.page.locator('#title').innerText(), 'Why is this string alive?');
  // The target is selected: its full value is in the details panel, as text.
  await wv.page.getByText('"</script><script>alert(1)</script>"', { exact: true }).waitFor();
  await wv.page.hover(node('42'));
  await wv.page.locator('#tooltip').getByText('<img src=x onerror=alert(1)>').waitFor();
  assert.ok((await texts(wv, '.edge-label')).includes('<img src=x onerror=alert(1)>'));
  const dom = await wv.page.evaluate(() => ({
    imgs: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    alerted: (window as unknown as { __alerted?: boolean }).__alerted === true,
  }));
  assert.deepEqual(dom, { imgs: 0, scripts: 1, alerted: false });
  // The same strings in a report's leak list and sentence.
  await wv.send({ type: 'showReport', report: fixture<LeakReport>('library-report.json'), selectedLeak: 2 });
  await wv.page
    .locator('.leak-sentence', { hasText: 'are held by </script><script>alert(1)</script>.' })
    .waitFor();
  assert.equal(await wv.page.evaluate(() => document.querySelectorAll('img').length), 0);
  await assertClean(wv);
  await wv.close();
});

test('the CSP is in force and violations would be caught', async () => {
  const wv = await openWebview(browser, server.url);
  // Self-check of the harness: an inline script must be blocked and reported.
  await wv.page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = true';
    document.body.append(s);
  });
  await wv.page.waitForFunction(
    () => (window as unknown as { __heaplensTest: { csp: string[] } }).__heaplensTest.csp.length > 0,
  );
  assert.equal(await wv.page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
  assert.match((await wv.cspViolations())[0], /^script-src/);
  await wv.close();
});

test('a snapshot summary lists classes as text, and choosing one asks for its largest object', async () => {
  const wv = await openWebview(browser, server.url);
  await wv.send({
    type: 'showSummary',
    title: 'app.heapsnapshot',
    classes: [
      { name: 'Book', count: 2000, selfSize: 96000, retainedSize: 3_100_000, largestId: 4242 },
      { name: '<img src=x onerror=alert(1)>', count: 3, selfSize: 300, retainedSize: 960, largestId: 77 },
    ],
  });
  await wv.page.waitForSelector('#leaks .leak-name');
  const names = await texts(wv, '#leaks .leak-name');
  assert.match(names[0], /^Book × 2,000$/);
  assert.match(names[1], /<img src=x onerror=alert\(1\)>/, 'heap text shown as text');
  assert.equal(await wv.page.locator('#leaks img').count(), 0);
  await wv.page.locator('#leaks .leak-select').nth(0).click();
  const [selected] = await wv.waitForPosted('selectNode');
  assert.deepEqual(selected, { type: 'selectNode', id: 4242 });
  await assertClean(wv);
});
