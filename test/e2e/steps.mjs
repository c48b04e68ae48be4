// The steps the e2e scenarios share, each a thing a person does or sees in VS Code: reset
// the window, open a file, wait for a tab (or fail at once on a Heap Lens error), set a
// breakpoint, read the editor, the cursor line, the gutter marks and the graph's nodes.

import assert from 'node:assert/strict';
import { until, processesMentioning } from './workbench.mjs';

/** The steps, bound to one running workbench. */
export function steps(wb) {
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

  /**
   * A live hunt in the running debug session named like `session`, from the editor's Find leaks:
   * the start mark, two marks from the status bar, then Analyse clicked. `shot(name)` after
   * the start mark and before Analyse, when given.
   */
  async function liveHuntToAnalyse(session, shot) {
    await wb.contextMenu(editorLines(), 'Find leaks');
    // js-debug's active session is the child: "leaky-timer.js [pid] « Leaky timer".
    await wb.pick(new RegExp(`^Hunt in the running debug session ".*${session}"`));
    const take = wb.statusItem(/Heap Lens: mark the heap/);
    for (const n of [1, 2]) {
      await until(
        `status bar: mark the heap (${n} so far)`,
        async () => new RegExp(`\\(${n} so far\\)`).test(await take.innerText()),
        60_000,
      );
      if (n === 1 && shot) await shot('baseline-taken');
      await take.click();
    }
    const analyse = wb.statusItem(/Heap Lens: analyse/);
    await until(
      'status bar: analyse (3 marks)',
      async () => /\(3 marks\)/.test(await analyse.innerText()),
      60_000,
    );
    if (shot) await shot('ready-to-analyse');
    await analyse.click();
  }

  return {
    liveHuntToAnalyse,
    reset,
    stopDebugging,
    editorText,
    tabOrError,
    editorLines,
    openFile,
    openSite,
    cursorLine,
    selectAndStartDebugging,
    programProcesses,
    graphNodes,
    breakpointAt,
    goToLine,
    markedLines,
  };
}
