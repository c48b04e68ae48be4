// The scenarios paused at a breakpoint (c and h of heaplens.e2e.mjs): "Why is this alive?" from
// the Variables view, first the whole graph from (GC roots), then what keeps the object alive
// once the paused function returns (the module's Map, not the stack).

import assert from 'node:assert/strict';
import { until } from './workbench.mjs';

/**
 * Debug why.js to its breakpoint, then "Why is this alive?" on `entry` in the Variables view:
 * the panel's webview and its graph's nodes once the object is drawn.
 */
async function askWhyEntry(wb, s, shot) {
  const { selectAndStartDebugging, tabOrError, graphNodes } = s;
  await selectAndStartDebugging('Why fixture');
  const entryRow = wb.page
    .locator('.debug-variables .monaco-list-row')
    .filter({ hasText: /^\s*entry\s*=\s*CacheEntry/ })
    .first();
  await entryRow.waitFor({ state: 'visible', timeout: 60_000 });
  await wb.shot(shot);

  await wb.contextMenu(entryRow, 'Why is this alive?');
  await tabOrError('Why is entry alive?', 90_000);
  const view = wb.webview();
  await view.locator('svg#graph g.node.target').first().waitFor({ state: 'attached', timeout: 60_000 });
  const nodes = await graphNodes(view);
  return { view, nodes };
}

/** c: the graph from (GC roots) down to the CacheEntry, and the workbench tabs beside it. */
export async function whyWhilePaused(wb, s) {
  const { openFile, breakpointAt, stopDebugging, programProcesses } = s;
  await openFile('why.js', 'remember');
  await breakpointAt(21);
  await wb.shot('c1-breakpoint-set');

  const { view, nodes } = await askWhyEntry(wb, s, 'c2-paused-variables');
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
}

/** h: the Map path, not the stack, with one line saying the frame holds it too; the toggle brings the stack back. */
export async function mapPathWhilePaused(wb, s) {
  const { openFile, breakpointAt, graphNodes, stopDebugging, programProcesses } = s;
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
  const { view, nodes } = await askWhyEntry(wb, s, 'h1-paused-variables');
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
  assert.match(title, /current frame also holds it/, `one line says the paused frame holds it too: ${title}`);
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
}
