// The page fed what the engine really emits, as the extension feeds it: the book story hunted
// in the hunt worker (what *Find leaks* runs), its report, and the retainer graph of the first
// leak asked of the same worker with the extension's default settings. The other webview tests
// use hand-written messages (hostile strings, exact layouts); this one catches the drift
// between those and the engine's real output. The messages are also written to
// test-artifacts/webview/engine-*.json, for a person to look at or to refresh a fixture from.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULTS } from '../../src/contracts/defaults';
import { isHostMessage, type HostMessage } from '../../src/contracts/webview';
import type { LeakReport, RetainerGraph } from '../../src/core/report';
import { startHuntWorker, type HuntWorker } from '../../src/hunt/client';
import { REPO } from '../helpers/snapshots';
import { launchChromium, openWebview } from './page';
import { startPageServer, type PageServer } from './server';

const HUNT_WORKER = path.join(REPO, 'dist', 'huntWorker.js');
const OUT = path.join(REPO, 'test-artifacts', 'webview');

let server: PageServer;
let browser: Browser;
let worker: HuntWorker;
let report: LeakReport;
let graph: RetainerGraph;

before(async () => {
  worker = startHuntWorker(HUNT_WORKER);
  const scenario = path.join(REPO, 'examples/books/scenario.js');
  const outcome = await worker.api.hunt({
    target: { kind: 'scenario', scenario },
    iterations: DEFAULTS.iterations,
    trackAllocations: true,
  });
  report = outcome.report;
  assert.ok(report.leaks.length > 0, 'the book story has a leak');
  // With the extension's default settings.
  const g = await worker.api.retainerGraph(outcome.targets[0], {
    paths: DEFAULTS.retainerPaths,
    maxNodes: DEFAULTS.graphSizeLimit,
  });
  assert.ok(g, 'the first leak has a retainer graph');
  graph = g;
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await worker?.dispose();
});

test("the engine's report and retainer graph pass the protocol and are drawn whole", async () => {
  const messages: HostMessage[] = [
    { type: 'showReport', report },
    { type: 'showGraph', graph, leakIndex: 0, maxVisibleNodes: DEFAULTS.graphSizeLimit },
  ];
  fs.mkdirSync(OUT, { recursive: true });
  messages.forEach((m, i) =>
    fs.writeFileSync(path.join(OUT, `engine-${i}-${m.type}.json`), JSON.stringify(m, null, 2)),
  );
  for (const m of messages)
    assert.ok(isHostMessage(m), `the page's validator accepts the engine's ${m.type}`);

  const wv = await openWebview(browser, server.url);
  await wv.send(messages[0]);
  await wv.waitForPosted('selectLeak');
  const sentences = await wv.page.locator('.leak-sentence').allTextContents();
  assert.deepEqual(
    sentences,
    report.leaks.map((l) => l.explanation),
    'every sentence, as the engine wrote it',
  );

  await wv.send(messages[1]);
  await wv.page.waitForSelector('g.node');
  const drawn = await wv.page
    .locator('g.node')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
  const keys = new Set(graph.nodes.map((n) => n.key));
  assert.equal(drawn.length, graph.nodes.length, 'a graph under the size limit is drawn whole');
  for (const key of drawn)
    assert.ok(key !== null && keys.has(key), `drawn node ${key} is one the engine sent`);
  const roots = graph.nodes.filter((n) => n.kind === 'root');
  assert.ok(roots.length > 0 && roots.every((n) => drawn.includes(n.key)), 'the GC roots are drawn');
  const targets = graph.nodes.filter((n) => n.target);
  assert.ok(
    targets.length > 0 && targets.every((n) => drawn.includes(n.key)),
    'the explained object is drawn',
  );
  // Edge labels are drawn as the engine wrote them (cut when long; none of the book story's is).
  const labels = new Set(await wv.page.locator('.edge-label').allTextContents());
  for (const e of graph.edges)
    if (e.label.length <= 20) assert.ok(labels.has(e.label), `edge label ${e.label} drawn`);
  assert.equal(
    await wv.page.locator('path.edge').count(),
    graph.edges.length,
    'every edge the engine sent is drawn',
  );

  assert.deepEqual(await wv.cspViolations(), [], 'no CSP violation');
  assert.deepEqual(wv.problems, [], 'no console error, page error or dialog');
  await wv.close();
});
