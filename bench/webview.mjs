// Layout and first-paint time of the retainer graph webview in headless Chromium, for
// generated graphs of 500 and 5,000 nodes. Not part of CI.
//
//   node scripts/build.mjs && npx tsc -p tsconfig.test.json && node bench/webview.mjs
//
// "first paint" = from posting showGraph to the second animation frame after it was
// handled (the frame that shows the graph). "hover" = from a mouseenter on a node to
// the next frame with the path highlighted. Median of RUNS runs, each on a fresh page.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startPageServer } = require('../out/test/webview/server.js');
const { launchChromium, openWebview } = require('../out/test/webview/page.js');
const { generateRetainerGraph } = require('../out/test/webview/generateGraph.js');

const SIZES = [500, 5000];
const RUNS = Number(process.env.RUNS ?? 3);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(browser, url, size, seed) {
  const wv = await openWebview(browser, url);
  const graph = generateRetainerGraph(size, seed);
  const result = await wv.page.evaluate(async (g) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    performance.clearMeasures();
    const start = performance.now();
    // Our listener is added after the page's own, so it runs once the graph is drawn.
    const handled = new Promise((resolve) =>
      window.addEventListener('message', () => resolve(), { once: true }),
    );
    window.postMessage({ type: 'showGraph', graph: g }, '*');
    await handled;
    await frame();
    await frame();
    const painted = performance.now() - start;
    const m = (name) => performance.getEntriesByName(name, 'measure').at(-1)?.duration ?? NaN;
    const nodes = document.querySelectorAll('g.node');
    const hoverStart = performance.now();
    nodes[Math.floor(nodes.length / 2)].dispatchEvent(
      new MouseEvent('mouseenter', { clientX: 400, clientY: 300 }),
    );
    await frame();
    const hover = performance.now() - hoverStart;
    return {
      layout: m('heaplens:layout'),
      render: m('heaplens:render'),
      painted,
      hover,
      drawn: nodes.length,
    };
  }, graph);
  if (wv.problems.length > 0) throw new Error(wv.problems.join('\n'));
  await wv.close();
  return result;
}

const server = await startPageServer();
const browser = await launchChromium();
try {
  const rows = [];
  for (const size of SIZES) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await measure(browser, server.url, size, r + 1));
    const edges = generateRetainerGraph(size, 1).edges.length;
    rows.push({
      nodes: size,
      edges,
      drawn: runs[0].drawn,
      'layout ms': median(runs.map((x) => x.layout)).toFixed(1),
      'DOM build ms': median(runs.map((x) => x.render)).toFixed(1),
      'first paint ms': median(runs.map((x) => x.painted)).toFixed(1),
      'hover ms': median(runs.map((x) => x.hover)).toFixed(1),
    });
  }
  console.log(`webview bench, Chromium headless, median of ${RUNS}`);
  console.table(rows);
} finally {
  await browser.close();
  await server.close();
}
