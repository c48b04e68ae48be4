// Heap Lens end to end, in the real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3,
// with its built-in JavaScript debugger), driven by Debian's chromium. Run through
// scripts/e2e.sh (npm run test:e2e), which installs the tools and packages the VSIX first.
//
// Each scenario asserts what a person would see and leaves a screenshot after each step in
// test-artifacts/e2e/. Every wait is for a visible condition with a bounded time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Workbench, REPO, until, processesMentioning, log } from './workbench.mjs';
import { walkSnapshotWorkbench } from './snapshotWorkbench.mjs';

const VSIX = process.env.HEAPLENS_E2E_VSIX || path.join(REPO, 'heaplens.vsix');
const HUNT_TIMEOUT = 180_000;
const wb = new Workbench();

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

/** No debug session, no editors, no notifications: each scenario starts from the same place. */
async function reset() {
  await stopDebugging();
  await wb.closeAllEditors();
  await wb.command('Notifications: Clear All Notifications');
}

async function stopDebugging() {
  const toolbar = wb.page.locator('.debug-toolbar');
  await until(
    'no debug session',
    async () => {
      if (!(await toolbar.isVisible())) return true;
      await wb.command('Debug: Stop', 10_000);
      return toolbar.waitFor({ state: 'hidden', timeout: 5000 }).then(
        () => true,
        () => false,
      );
    },
    30_000,
    500,
  );
}

/** The visible text of the editor in front (Monaco renders spaces as no-break spaces). */
async function editorText() {
  return (await editorLines().innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Wait for an editor tab whose label matches `tab`; fail at once (with its text) when a
 * Heap Lens error notification shows up instead.
 */
async function tabOrError(tab, timeout) {
  const tabs = wb.page.locator('.tabs-container .tab').filter({ hasText: tab });
  const errors = wb.page
    .locator('.notifications-toasts .notification-toast')
    .filter({ hasText: /Heap Lens: / })
    .filter({
      has: wb.page.locator(
        '.codicon-error, .codicon-notifications-error, .notification-list-item-icon.codicon-error',
      ),
    });
  return until(
    `editor tab ${tab}`,
    async () => {
      if (await errors.count()) {
        throw Object.assign(
          new Error(`Heap Lens showed an error: ${(await errors.first().innerText()).split('\n')[0]}`),
          { fatal: true },
        );
      }
      return (await tabs.count()) > 0;
    },
    timeout,
    300,
  );
}

function editorLines() {
  return wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
}

async function openFile(rel, expectText) {
  await wb.openFromExplorer(rel);
  const name = rel.split('/').pop();
  await until(`${name} in front`, async () =>
    (await wb.activeTab().getAttribute('aria-label'))?.startsWith(name),
  );
  if (expectText) await until(`${name}'s text`, async () => (await editorText()).includes(expectText));
}

/** Click a report's allocation-site link: the file comes to the front with the cursor on the line. */
async function openSite(site, file, line, text, shot) {
  await site.click();
  await until(
    `${file} in front`,
    async () => (await wb.activeTab().getAttribute('aria-label'))?.startsWith(file),
    15_000,
  );
  await until(`the cursor on line ${line}`, async () => (await cursorLine()) === line, 15_000);
  assert.match(await editorText(), text);
  await wb.shot(shot);
}

async function cursorLine() {
  const text = await wb.statusItem(/^Ln \d+, Col \d+/).innerText();
  return Number(/^Ln (\d+)/.exec(text)[1]);
}

async function selectAndStartDebugging(configName) {
  await wb.command('Debug: Select and Start Debugging');
  await wb.pick(configName);
}

/** Node processes running `file` of the workspace (js-debug starts them as `node ./file` in it). */
function programProcesses(file) {
  return processesMentioning(wb.workspace).filter((p) => /\bnode\b/.test(p.cmd) && p.cmd.includes(file));
}

/** Node positions (translate x,y) of the graph in the front webview. */
async function graphNodes(frame) {
  return frame.locator('svg#graph g.node').evaluateAll((els) =>
    els.map((g) => {
      const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform') || '');
      return {
        key: g.getAttribute('data-key'),
        cls: g.getAttribute('class'),
        name: g.querySelector('.name')?.textContent ?? '',
        x: m ? Number(m[1]) : NaN,
        y: m ? Number(m[2]) : NaN,
      };
    }),
  );
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

    await wb.contextMenu(editorLines(), 'Find leaks');
    // js-debug's active session is the child: "leaky-timer.js [pid] « Leaky timer".
    await wb.pick(/^Hunt in the running debug session ".*Leaky timer"/);
    const take = wb.statusItem(/Heap Lens: mark the heap/);
    await until(
      'status bar: mark the heap (1 so far)',
      async () => /\(1 so far\)/.test(await take.innerText()),
      60_000,
    );
    await wb.shot('b2-baseline-taken');
    await take.click();
    await until(
      'status bar: mark the heap (2 so far)',
      async () => /\(2 so far\)/.test(await take.innerText()),
      60_000,
    );
    await take.click();
    const analyse = wb.statusItem(/Heap Lens: analyse/);
    await until(
      'status bar: analyse (3 marks)',
      async () => /\(3 marks\)/.test(await analyse.innerText()),
      60_000,
    );
    await wb.shot('b3-ready-to-analyse');
    await analyse.click();

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
  'c. paused at a breakpoint: Variables view → Why is this alive? → graph from (GC roots) down to the object',
  180_000,
  async () => {
    await openFile('why.js', 'remember');
    // Ctrl+G to line 21, F9; F9 does nothing until a debugger for JavaScript is registered.
    await until(
      'a breakpoint on line 21',
      async () => {
        await editorLines().click();
        await wb.page.keyboard.press('Control+g');
        const input = wb.quickInput().locator('input').first();
        await input.waitFor({ state: 'visible', timeout: 5000 });
        await input.fill(':21');
        await wb.page.keyboard.press('Enter');
        await until('cursor on line 21', async () => (await cursorLine()) === 21, 5000);
        await wb.page.keyboard.press('F9');
        const glyph = wb.page.locator(
          '.editor-group-container.active .monaco-editor .codicon-debug-breakpoint',
        );
        return glyph
          .first()
          .waitFor({ state: 'visible', timeout: 3000 })
          .then(
            () => true,
            () => false,
          );
      },
      30_000,
      500,
    );
    await wb.shot('c1-breakpoint-set');

    await selectAndStartDebugging('Why fixture');
    const entryRow = wb.page
      .locator('.debug-variables .monaco-list-row')
      .filter({ hasText: /^\s*entry\s*=\s*CacheEntry/ })
      .first();
    await entryRow.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.shot('c2-paused-variables');

    await wb.contextMenu(entryRow, 'Why is this alive?');
    await tabOrError('Why is entry alive?', 90_000);
    const view = wb.webview();
    await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 60_000 });
    const nodes = await graphNodes(view);
    const target = nodes.find((n) => /\btarget\b/.test(n.cls));
    const root = nodes.find((n) => /\bkind-root\b/.test(n.cls) && n.name === '(GC roots)');
    assert.ok(target, 'the graph has the object under question (target marker)');
    assert.match(target.name, /CacheEntry/, `the target is the CacheEntry: ${target.name}`);
    assert.ok(root, `a GC root "(GC roots)" is drawn: ${nodes.map((n) => n.name).join(', ')}`);
    const ys = nodes.map((n) => n.y);
    assert.equal(root.y, Math.min(...ys), '(GC roots) is at the top');
    assert.equal(target.y, Math.max(...ys), 'the object is at the bottom');
    await wb.shot('c3-why-is-entry-alive');
    // The snapshot taken for the question gets the workbench tabs beside its graph (the hunt
    // worker answers them), the title staying the question's.
    await view.locator('#workbench-heading').waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await view.locator('#title').innerText(), /^Why is CacheEntry @\d+ alive\?/);
    await view.locator('.wb-tab', { hasText: 'Attribution' }).click();
    await view.locator('.wb-attribution .wb-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.shot('c4-why-workbench-attribution');
    await stopDebugging();
    await until('no process running why.js', async () => programProcesses('why.js').length === 0, 15_000);
  },
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

/** Ctrl+G to `line`, then F9 until the breakpoint glyph shows (F9 does nothing until a debugger for JavaScript is registered). */
async function breakpointAt(line) {
  await until(
    `a breakpoint on line ${line}`,
    async () => {
      await editorLines().click();
      await goToLine(line);
      await wb.page.keyboard.press('F9');
      const glyph = wb.page.locator(
        '.editor-group-container.active .monaco-editor .codicon-debug-breakpoint',
      );
      return glyph
        .first()
        .waitFor({ state: 'visible', timeout: 3000 })
        .then(
          () => true,
          () => false,
        );
    },
    30_000,
    500,
  );
}

async function goToLine(line) {
  await wb.page.keyboard.press('Control+g');
  const input = wb.quickInput().locator('input').first();
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill(`:${line}`);
  await wb.page.keyboard.press('Enter');
  await until(`cursor on line ${line}`, async () => (await cursorLine()) === line, 5000);
}

/**
 * Line numbers of the active editor that carry a Heap Lens gutter mark (a glyph-margin icon:
 * a background image): each mark is matched to the line number drawn at the same height.
 */
async function markedLines() {
  const editor = wb.page.locator('.editor-group-container.active .monaco-editor').first();
  return editor.evaluate((root) => {
    const tops = [...root.querySelectorAll('.margin *')]
      .filter((el) => /url\(/.test(getComputedStyle(el).backgroundImage))
      .map((el) => el.getBoundingClientRect().top);
    const numbers = [...root.querySelectorAll('.margin .line-numbers')].map((el) => ({
      line: Number(el.textContent.trim()),
      top: el.getBoundingClientRect().top,
    }));
    return tops
      .map((t) => numbers.find((n) => Math.abs(n.top - t) < 4)?.line)
      .filter((n) => Number.isInteger(n));
  });
}

scenario(
  'h. paused at a breakpoint: Why is this alive? on a Map-held object shows the Map path, not the stack, and says the frame holds it too',
  180_000,
  async () => {
    await openFile('why.js', 'remember');
    // Scenario c left a breakpoint on this very line, and F9 toggles it: set it only if it is gone.
    const glyph = wb.page.locator('.editor-group-container.active .monaco-editor .codicon-debug-breakpoint');
    const present = await glyph
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .then(
        () => true,
        () => false,
      );
    if (!present) await breakpointAt(21);
    await selectAndStartDebugging('Why fixture');
    const entryRow = wb.page
      .locator('.debug-variables .monaco-list-row')
      .filter({ hasText: /^\s*entry\s*=\s*CacheEntry/ })
      .first();
    await entryRow.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.shot('h1-paused-variables');

    await wb.contextMenu(entryRow, 'Why is this alive?');
    await tabOrError('Why is entry alive?', 90_000);
    const view = wb.webview();
    await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 60_000 });
    const nodes = await graphNodes(view);
    const names = nodes.map((n) => n.name).join(', ');
    const target = nodes.find((n) => /\btarget\b/.test(n.cls));
    assert.match(target?.name ?? '', /CacheEntry/, `the object under question is the CacheEntry: ${names}`);
    // What keeps it alive once main() returns: the module's `cache` Map, not the paused frame.
    assert.ok(
      nodes.some((n) => /^Map\b/.test(n.name)),
      `the Map that holds it is drawn: ${names}`,
    );
    assert.ok(
      !nodes.some((n) => /Stack roots|Global handles|Handle scope|\(Debugger\)/.test(n.name)),
      `the paused frame's stack roots and the debugger's own handles are left out: ${names}`,
    );
    const title = await view.locator('#title').innerText();
    assert.match(
      title,
      /current frame also holds it/,
      `one line says the paused frame holds it too: ${title}`,
    );
    await wb.shot('h2-why-is-entry-alive-map-path');

    // The toggle brings the stack paths back.
    const stack = view.locator('#stack-paths');
    await stack.check();
    await until(
      'the stack roots drawn with the toggle on',
      async () => (await graphNodes(view)).some((n) => /Stack roots/.test(n.name)),
      60_000,
    );
    await wb.shot('h3-why-is-entry-alive-with-stack');
    await stopDebugging();
    await until('no process running why.js', async () => programProcesses('why.js').length === 0, 15_000);
  },
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
