// Scenario j of heaplens.e2e.mjs: a live hunt's Analyse cancelled from its notification while
// V8 writes the snapshot. What a person must see: no report, the hunt over (its status item
// gone), and the program still running under the debugger, with V8 no longer tracking its
// objects (while it tracks them, V8 walks the heap back to back: CPU a program at rest does
// not use).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { until, log } from './workbench.mjs';

/** CPU seconds process `pid` used over `ms` (utime + stime in /proc/<pid>/stat). */
async function cpuSecondsOver(pid, ms) {
  const ticks = () => {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  };
  const a = ticks();
  await new Promise((r) => setTimeout(r, ms));
  return (ticks() - a) / 100;
}

/** The last "big-timer: tick N" the Debug Console shows (0 before the first). */
async function lastTick(wb) {
  const all = [...(await wb.debugConsoleText()).matchAll(/big-timer: tick (\d+)/g)];
  return all.length ? Number(all[all.length - 1][1]) : 0;
}

export async function cancelLiveAnalyse(wb, s) {
  const { openFile, selectAndStartDebugging, liveHuntToAnalyse, programProcesses, stopDebugging } = s;
  await openFile('big-timer.js', 'setInterval');
  await selectAndStartDebugging('Big timer');
  await until(
    'the program running under the debugger',
    async () => (await wb.debugConsoleText()).includes('big-timer: running'),
    60_000,
  );
  const [proc] = programProcesses('big-timer.js');
  assert.ok(proc, 'the debuggee is seen as a process (so the checks below mean something)');
  // A program at rest, before any hunt: what "not tracked" looks like on this machine.
  const restCpu = await cpuSecondsOver(proc.pid, 2000);

  await liveHuntToAnalyse('Big timer');

  const toast = wb.page
    .locator('.notifications-toasts .notification-toast')
    .filter({ hasText: /Heap Lens: analysing/ });
  await until(
    'the Analyse notification saying V8 writes the snapshot',
    async () =>
      /snapshot: writing \d+%/.test(
        await toast
          .first()
          .innerText()
          .catch(() => ''),
      ),
    60_000,
    50,
  );
  await wb.shot('j1-analysing');
  const ticksBefore = await lastTick(wb);
  await toast
    .first()
    .locator('.monaco-button', { hasText: /^Cancel$/ })
    .click();
  const cancelledAt = Date.now();

  await until('the Analyse notification gone', async () => (await toast.count()) === 0, 10_000);
  await until(
    'the live hunt status item gone',
    async () => (await wb.statusItem(/Heap Lens: (mark the heap|analyse|snapshot)/).count()) === 0,
    10_000,
  );
  log(
    `analyse cancelled: the notification and the status item went ${Date.now() - cancelledAt} ms after Cancel`,
  );
  await until(
    'the program ticks on in the Debug Console',
    async () => (await lastTick(wb)) > ticksBefore,
    15_000,
  );
  assert.ok(await wb.page.locator('.debug-toolbar').isVisible(), 'the debug session runs on');
  // V8 finishes the snapshot it was writing (through js-debug's proxy it cannot be stopped
  // halfway), then tracking ends: the CPU falls back to the program's own. (While a heap this
  // size is tracked V8 uses far more than this bound: cancel.test.ts's control measures it.)
  const bound = Math.max(0.3, 3 * restCpu);
  let cpu = Infinity;
  await until(
    `the program's CPU back at rest (≤ ${bound} s in 2 s; ${restCpu} s before the hunt)`,
    async () => (cpu = await cpuSecondsOver(proc.pid, 2000)) <= bound,
    60_000,
    0,
  );
  log(`after the cancel: ${cpu} CPU s in 2 s (before the hunt: ${restCpu})`);
  const tabs = await wb.page.locator('.tabs-container .tab').allInnerTexts();
  assert.ok(!tabs.some((t) => /^Heap Lens: /.test(t)), `no report opened: ${tabs.join(' | ')}`);
  await wb.shot('j2-cancelled-program-runs');

  await stopDebugging();
  await until(
    'no process running big-timer.js',
    async () => programProcesses('big-timer.js').length === 0,
    15_000,
  );
}
