// The leak hunt's own figures: the book story from start to report (the README's main job,
// through the real CLI), and how much allocation tracking slows the debuggee down (the same
// iterations of the book scenario with tracking off, then on). Prints one console.table.
// Needs `npm run build` and `npx tsc -p tsconfig.test.json` (npm run bench does both).
import { spawnSync } from 'node:child_process';
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
  const r = spawnSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'find-leaks', scenario, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`find-leaks failed: ${r.stderr}`);
  return performance.now() - t0;
}

async function iterationMs(d, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await d.runIteration();
  return (performance.now() - t0) / n;
}

async function trackingSlowdown() {
  const d = await startDebuggee(scenario, { harnessPath: path.join(repo, 'dist', 'harness.js'), execArgv: ['--no-turbo-inlining'] });
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

const story = [storyMs(), storyMs(), storyMs()].sort((a, b) => a - b)[1];
const { off, on } = await trackingSlowdown();
console.log('Leak hunt (book story, median of 3; iterations: mean of 6)');
console.table([
  { measure: 'book story: start to report', ms: Math.round(story) },
  { measure: 'iteration, tracking off', ms: Math.round(off) },
  { measure: 'iteration, tracking on', ms: Math.round(on) },
  { measure: 'slowdown with tracking (×)', ms: (on / off).toFixed(2) },
]);
