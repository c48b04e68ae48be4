// The leak hunt's own figures: the book story from start to report (the README's main job,
// through the real CLI), how much allocation tracking slows the debuggee down (the same
// iterations of the book scenario with tracking off, then on), and the big-heap hunt
// (bench/scenarios/big-heap.js: a ~100 MB heap, 50 records leaked an iteration) from start
// to report with its peak RSS, against the floor: one v8.writeHeapSnapshot of the same heap,
// in a process that built it the same way. Prints one console.table.
// Needs `npm run build` and `npx tsc -p tsconfig.test.json` (npm run bench does both).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { startDebuggee } = require(path.join(repo, 'out', 'src', 'inspector', 'runner.js'));
const scenario = path.join(repo, 'examples', 'books', 'scenario.js');
const ROUNDS = 6;

function storyMs() {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [path.join(repo, 'dist', 'cli.js'), 'find-leaks', scenario, '--quiet'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`find-leaks failed: ${r.stderr}`);
  return performance.now() - t0;
}

async function iterationMs(d, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await d.runIteration();
  return (performance.now() - t0) / n;
}

async function trackingSlowdown() {
  const d = await startDebuggee(scenario, {
    harnessPath: path.join(repo, 'dist', 'harness.js'),
    execArgv: ['--no-turbo-inlining'],
  });
  try {
    await d.runSetup();
    await d.runWarmup(2);
    const off = await iterationMs(d, ROUNDS);
    await d.startTracking();
    const on = await iterationMs(d, ROUNDS);
    await d.stopTracking();
    return { off, on };
  } finally {
    await d.dispose();
  }
}

const bigHeap = path.join(repo, 'bench', 'scenarios', 'big-heap.js');

/** find-leaks on the big heap under /usr/bin/time: wall ms, peak RSS of the CLI, and whether it found the leak. */
function bigHeapHunt() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-bench-')), 'report.json');
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'maxrss_kb %M',
      process.execPath,
      path.join(repo, 'dist', 'cli.js'),
      'find-leaks',
      bigHeap,
      '--quiet',
      '--json',
      out,
    ],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`find-leaks on the big heap failed: ${r.stderr}`);
  const rss = Number(/maxrss_kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { ms, rss, found: report.leaks.some((l) => l.name === 'AuditRecord') };
}

/** The floor: one v8.writeHeapSnapshot of the same heap (built by the same code), timed alone. */
function floorMs() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-bench-'));
  const code = `const v8 = require('v8'); require(${JSON.stringify(bigHeap)}).buildCatalogue(); global.gc();
    const t0 = performance.now(); const f = v8.writeHeapSnapshot(${JSON.stringify(path.join(dir, 'floor.heapsnapshot'))});
    console.log('floor_ms', Math.round(performance.now() - t0), 'bytes', require('fs').statSync(f).size);`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const m = /floor_ms (\d+) bytes (\d+)/.exec(r.stdout);
  if (!m) throw new Error(`the floor measurement failed: ${r.stderr}`);
  return { ms: Number(m[1]), bytes: Number(m[2]) };
}

const story = [storyMs(), storyMs(), storyMs()].sort((a, b) => a - b)[1];
// The floor just before and just after the hunt, against their mean: on a shared machine one
// floor alone moved by half from run to run (12.9 to 24.2 s at load average 7-9).
const before = floorMs();
const big = bigHeapHunt();
const afterFloor = floorMs();
const floor = { ms: (before.ms + afterFloor.ms) / 2, bytes: before.bytes };
const { off, on } = await trackingSlowdown();
console.log(
  'Leak hunt (book story, median of 3; iterations: mean of 6; big heap: one hunt between two floors)',
);
console.table([
  { measure: 'book story: start to report', ms: Math.round(story) },
  { measure: 'iteration, tracking off', ms: Math.round(off) },
  { measure: 'iteration, tracking on', ms: Math.round(on) },
  { measure: 'slowdown with tracking (×)', ms: (on / off).toFixed(2) },
  {
    measure: `big heap: one v8.writeHeapSnapshot (floor, ${Math.round(floor.bytes / 1e6)} MB; mean of before and after)`,
    ms: Math.round(floor.ms),
  },
  { measure: 'big heap: the floor before the hunt', ms: before.ms },
  { measure: 'big heap: the floor after the hunt', ms: afterFloor.ms },
  {
    measure: `big heap: find-leaks start to report (${big.found ? 'AuditRecord found' : 'LEAK MISSED'})`,
    ms: Math.round(big.ms),
  },
  { measure: 'big heap: hunt ÷ floor (×, target ≤ 2)', ms: (big.ms / floor.ms).toFixed(2) },
  { measure: 'big heap: find-leaks peak RSS (MB)', ms: Math.round(big.rss) },
]);
