// Screenshots in Light+, Dark+ and High Contrast, written to test-artifacts/webview/
// for a person to look at, plus the checks a screenshot cannot make on its own:
// text is drawn in a colour different from what it sits on, and the page used only
// the theme's variables (no CSP violation from inline styles).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { LeakReport, RetainerGraph } from '../../src/core/report';
import type { HostMessage } from '../../src/contracts/webview';
import { fixture, launchChromium, openWebview } from './page';
import { REPO_ROOT, startPageServer, type PageServer } from './server';
import { THEMES } from './themes';

const OUT = path.join(REPO_ROOT, 'test-artifacts/webview');
let browser: Browser;
let server: PageServer;

before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const theme of THEMES) {
  test(`${theme.name} theme: readable and screenshotted`, async () => {
    const wv = await openWebview(browser, server.url, { theme });
    await wv.send({ type: 'showReport', report: fixture<LeakReport>('library-report.json') });
    await wv.send({ type: 'showGraph', leakIndex: 0, graph: fixture<RetainerGraph>('library-graph.json') });
    await wv.page.waitForSelector('g.node[data-key="19"]');
    assert.ok(await wv.page.evaluate((c) => document.body.classList.contains(c), theme.bodyClass));

    const colours = await wv.page.evaluate(() => {
      const css = (sel: string, prop: string): string =>
        getComputedStyle(document.querySelector(sel)!).getPropertyValue(prop);
      return {
        background: css('body', 'background-color'),
        nodeText: css('g.node .name', 'fill'),
        nodeFill: css('g.node .shape', 'fill'),
        edgeLabel: css('.edge-label', 'fill'),
        sentence: css('.leak-sentence', 'color'),
      };
    });
    const bg = theme.vars['--vscode-editor-background'];
    assert.equal(colours.background, hexToRgb(bg), 'page background comes from the theme');
    for (const [what, colour] of Object.entries({
      nodeText: colours.nodeText,
      edgeLabel: colours.edgeLabel,
      sentence: colours.sentence,
    })) {
      assert.notEqual(colour, colours.background, `${what} differs from the background`);
      assert.notEqual(colour, colours.nodeFill, `${what} differs from the node fill`);
    }
    await wv.page.screenshot({ path: path.join(OUT, `library-${theme.name}.png`) });

    // Hover state and the single-object view, for the eye.
    await wv.page.hover('g.node[data-key="14"]');
    await wv.page.waitForSelector('#tooltip:not([hidden])');
    await wv.page.screenshot({ path: path.join(OUT, `library-hover-${theme.name}.png`) });
    await wv.page.mouse.move(2, 2);
    await wv.send(fixture<HostMessage>('single-string.json'));
    await wv.page.waitForSelector('g.node[data-key="43"]');
    await wv.page.screenshot({ path: path.join(OUT, `single-${theme.name}.png`) });

    assert.deepEqual(await wv.cspViolations(), []);
    assert.deepEqual(wv.problems, []);
    await wv.close();
  });
}

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
