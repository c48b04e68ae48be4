// Heap Lens end to end, in the real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3,
// with its built-in JavaScript debugger), driven by Debian's chromium. Run through
// scripts/e2e.sh (npm run test:e2e), which installs the tools and packages the VSIX first.
//
// Each scenario asserts what a person would see and leaves a screenshot after each step in
// test-artifacts/e2e/. Every wait is for a visible condition with a bounded time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Workbench, REPO, until, log } from './workbench.mjs';
import { steps } from './steps.mjs';
import { mapPathWhilePaused, whyWhilePaused } from './paused.mjs';
import { walkSnapshotWorkbench } from './snapshotWorkbench.mjs';
import { cancelLiveAnalyse } from './liveCancel.mjs';

const VSIX = process.env.HEAPLENS_E2E_VSIX || path.join(REPO, 'heaplens.vsix');
const HUNT_TIMEOUT = 180_000;
const wb = new Workbench();
const e2eSteps = steps(wb);
const {
  reset,
  stopDebugging,
  editorText,
  tabOrError,
  editorLines,
  openFile,
  openSite,
  selectAndStartDebugging,
  programProcesses,
  graphNodes,
  goToLine,
  markedLines,
  liveHuntToAnalyse,
} = e2eSteps;

before(
  async () => {
    await wb.start(VSIX);
    await wb.shot('workbench-ready');
  },
  { timeout: 240_000 },
);

after(
  async () => {
    const left = await wb.stop();
    assert.deepEqual(
      left.map((p) => p.cmd),
      [],
      'no process of this run outlives code-server',
    );
  },
  { timeout: 60_000 },
);

/** Run a scenario body; on failure keep a screenshot of what was on screen. */
// HEAPLENS_E2E_ONLY=c,h runs only the scenarios with those letters (the others show as skipped).
const ONLY = (process.env.HEAPLENS_E2E_ONLY ?? '').split(',').filter(Boolean);

function scenario(name, timeout, body, todo) {
  // `todo`: a known gap, said why; the scenario still runs and shows its failure.
  const skip = ONLY.length > 0 && !ONLY.includes(name.slice(0, 1)) && `HEAPLENS_E2E_ONLY=${ONLY.join(',')}`;
  test(name, { timeout, todo, skip }, async () => {
    const t0 = Date.now();
    try {
      await reset();
      await body();
    } catch (e) {
      await wb.shot(`FAILED-${name.slice(0, 1)}`).catch(() => {});
      throw e;
    } finally {
      log(`scenario ${name.slice(0, 1)} took ${Math.round((Date.now() - t0) / 1000)} s`);
    }
  });
}

scenario(
  'a. book story: editor context menu → Find leaks → top leak Book with sentence, graph and allocation site',
  240_000,
  async () => {
    await openFile('books/scenario.js', 'processBooks');
    await wb.shot('a1-scenario-open');

    await wb.contextMenu(editorLines(), 'Find leaks');
    await wb.page
      .locator('.notifications-toasts .notification-toast', {
        hasText: 'Heap Lens: finding leaks in scenario.js',
      })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await wb.shot('a2-hunt-progress');

    await tabOrError('Heap Lens: scenario.js', HUNT_TIMEOUT);
    const view = wb.webview();
    const first = view.locator('#leaks .leak').first();
    await first.locator('.leak-name').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await first.locator('.leak-name').innerText(), /\bBook$/, 'the top leak is Book');
    const sentence = await first.locator('.leak-sentence').innerText();
    assert.match(sentence, /Book/, `the sentence names Book: ${sentence}`);
    await until(
      'the retainer graph drawn',
      async () => (await view.locator('svg#graph g.node').count()) > 1,
      30_000,
    );
    const nodes = await graphNodes(view);
    assert.ok(
      nodes.some((n) => /\btarget\b/.test(n.cls)),
      'the graph marks the leaking object',
    );
    assert.match(await view.locator('#title').innerText(), /Book/);
    const site = first.locator('.site-link', { hasText: /books\.js:40\b/ }).first();
    await site.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.shot('a3-report-book');

    await openSite(site, 'books.js', 40, /const book = new Book\(/, 'a4-books-js-line-40');
  },
);

scenario(
  'b. live hunt in a running node debug session from the status bar, then nothing left running',
  240_000,
  async () => {
    await openFile('leaky-timer.js', 'setInterval');
    await selectAndStartDebugging('Leaky timer');
    await until(
      'the program running under the debugger',
      async () => (await wb.debugConsoleText()).includes('leaky-timer: running'),
      60_000,
    );
    await wb.page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(
      programProcesses('leaky-timer.js').length > 0,
      'the debuggee is seen as a process (so the check below means something)',
    );
    await wb.shot('b1-debugging-leaky-timer');

    let shots = 1;
    await liveHuntToAnalyse('Leaky timer', (name) => wb.shot(`b${++shots}-${name}`));

    await tabOrError(/^Heap Lens: .*Leaky timer/, HUNT_TIMEOUT);
    const view = wb.webview();
    const names = view.locator('#leaks .leak .leak-name');
    await names.first().waitFor({ state: 'visible', timeout: 30_000 });
    const all = await names.allInnerTexts();
    assert.ok(
      all.some((n) => /\bSession$/.test(n)),
      `the leak list names Session: ${all.join(' | ')}`,
    );
    await until(
      'the retainer graph drawn',
      async () => (await view.locator('svg#graph g.node').count()) > 1,
      30_000,
    );
    await wb.shot('b4-live-hunt-report');

    await stopDebugging();
    await until(
      'no process running leaky-timer.js',
      async () => programProcesses('leaky-timer.js').length === 0,
      15_000,
    );
    assert.equal(
      await wb.statusItem(/Heap Lens: (mark the heap|analyse)/).count(),
      0,
      'the live hunt status item is gone',
    );
    await wb.shot('b5-session-stopped');
  },
);

scenario(
  'j. live hunt: Cancel in the Analyse notification while V8 writes: no report, the program runs on, tracking off',
  240_000,
  () => cancelLiveAnalyse(wb, e2eSteps),
);

scenario(
  'c. paused at a breakpoint: Variables view → Why is this alive? → graph from (GC roots) down to the object',
  180_000,
  () => whyWhilePaused(wb, e2eSteps),
);

scenario(
  'd. open a .heapsnapshot: suspects → dominator tree → graph, the Summary, merged paths, Attribution, Waste',
  240_000,
  () => walkSnapshotWorkbench(wb, graphNodes),
);

scenario(
  'e. heaplens debug type from launch.json: progress, report in the Debug Console and the panel',
  240_000,
  async () => {
    await selectAndStartDebugging('Hunt audit log');
    // The hunt's progress, as the heaplens debug adapter prints it (no wait on the debug
    // toolbar: a short hunt may end before it is drawn).
    await until(
      '"hunting leaks over 4 iterations" in the Debug Console',
      async () => /hunting leaks over 4 iterations/.test(await wb.debugConsoleText()),
      60_000,
    );
    await wb.shot('e1-hunt-running');
    await until(
      '"AuditEntry objects" in the Debug Console',
      async () => (await wb.debugConsoleText()).includes('AuditEntry objects'),
      HUNT_TIMEOUT,
      500,
    );
    await tabOrError('Heap Lens: Hunt audit log', 30_000);
    const view = wb.webview();
    await view
      .locator('#leaks .leak .leak-name', { hasText: /\bAuditEntry$/ })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await wb.shot('e2-hunt-report');
    await until(
      'the heaplens session ended',
      async () => !(await wb.page.locator('.debug-toolbar').isVisible()),
      30_000,
    );
  },
);

scenario(
  'f. TypeScript, no build step: Find leaks on scenario.ts → report → the allocation site opens orders.ts at its line',
  240_000,
  async () => {
    await openFile('ts-orders/scenario.ts', 'OrderService');
    await wb.contextMenu(editorLines(), 'Find leaks');
    await tabOrError('Heap Lens: scenario.ts', HUNT_TIMEOUT);
    const view = wb.webview();
    const first = view.locator('#leaks .leak').first();
    await first.locator('.leak-name').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await first.locator('.leak-name').innerText(), /\bOrder$/, 'the top leak is Order');
    const site = first.locator('.site-link', { hasText: /orders\.ts:35\b/ }).first();
    await site.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.shot('f1-report-typescript');

    await openSite(site, 'orders.ts', 35, /const order = new Order\(/, 'f2-orders-ts-line-35');
  },
);

scenario(
  'i. language-model tools: registered in vscode.lm.tools and answering through vscode.lm.invokeTool',
  120_000,
  async () => {
    // Any Heap Lens command activates the extension, which registers the tools and (under
    // HEAPLENS_E2E=1) the self-test command that lists and invokes them.
    await wb.command('Heap Lens: Clear allocation marks');
    await wb.command('Heap Lens: Agent tools self-test (e2e)', 60_000);
    const toast = wb.page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Heap Lens agent tools:' })
      .first();
    await toast.waitFor({ state: 'visible', timeout: 90_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    await wb.shot('i1-agent-tools');
    assert.match(
      text,
      /heaplens_findLeaks, heaplens_snapshotSummary, heaplens_whyAlive/,
      `all three tools are in vscode.lm.tools: ${text}`,
    );
    assert.match(
      text,
      /classes: [^|]*\bWidget\b/,
      `heaplens_snapshotSummary answered through vscode.lm.invokeTool: ${text}`,
    );
    assert.match(
      text,
      /why Widget: \(GC roots\) @\d+ → [^|]*\.widgetRegistry → Array @\d+ → \[\d+\] → Widget @\d+/,
      `heaplens_whyAlive answered a retainer path: ${text}`,
    );
  },
);

scenario(
  'h. paused at a breakpoint: Why is this alive? on a Map-held object shows the Map path, not the stack, and says the frame holds it too',
  180_000,
  () => mapPathWhilePaused(wb, e2eSteps),
);

scenario(
  "g. a leak inside an npm package (ajv@8): Find leaks puts the gutter mark on the user's call line",
  240_000,
  async () => {
    await openFile('packages/ajv-leaky.js', 'ajv.compile');
    await wb.contextMenu(editorLines(), 'Find leaks');
    // VS Code may still count h's debug session as active for a moment after its process
    // is gone; Find leaks then asks which to hunt, and a person picks the file.
    const asked = await wb
      .quickInput()
      .locator('.label-name', { hasText: /^Run this file as a scenario$/ })
      .waitFor({ state: 'visible', timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    if (asked) await wb.pick('Run this file as a scenario');
    await tabOrError('Heap Lens: ajv-leaky.js', HUNT_TIMEOUT);
    const view = wb.webview();
    const first = view.locator('#leaks .leak').first();
    await first.locator('.leak-name').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(
      await first.locator('.leak-name').innerText(),
      /\bSchemaEnv$/,
      'the top leak is the SchemaEnv ajv keeps',
    );
    await wb.shot('g1-report-ajv');

    await openFile('packages/ajv-leaky.js', 'ajv.compile');
    await goToLine(14);
    assert.match(await editorText(), /const validate = ajv\.compile\(schema\);/);
    await until(
      'a gutter mark on line 14, the call ajv.compile(schema)',
      async () => {
        const lines = await markedLines();
        return lines.length > 0 && lines.every((l) => l === 14);
      },
      30_000,
      500,
    );
    await wb.shot('g2-gutter-mark-on-user-call-line');
  },
);
