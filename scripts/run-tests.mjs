// `npm test`: Node's test runner over every compiled test file, two at a time, with two bounds
// it lacks. A test that hangs fails by itself (--test-timeout). A file whose tests have all
// ended but whose process does not (a handle left open: a stuck open of a pipe held stop 22's
// CI run for its whole 90 minutes) is reported here by name, with what it still runs, and
// killed, so the runner marks it failed and the other files go on.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** One test's bound (ms): the longest here take about two minutes on a loaded machine. */
const TEST_TIMEOUT_MS = 10 * 60_000;
/** One file's bound (ms): its tests, its own set-up and its process's exit. */
const FILE_BOUND_MS = Number(process.env.HEAPLENS_TEST_FILE_BOUND_MS ?? 15 * 60_000);
const WATCH_EVERY_MS = 5000;

function testFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.js')) out.push(path.relative(root, p));
  }
  return out;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : testFiles(path.join(root, 'out/test')).sort();
const runner = spawn(
  process.execPath,
  ['--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { cwd: root, stdio: 'inherit' },
);

/** pid → its command line and parent, for every process /proc shows (Linux only; elsewhere none). */
function processes() {
  const all = new Map();
  let names;
  try {
    names = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return all;
  }
  for (const n of names) {
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = fs.readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0').filter(Boolean);
      all.set(Number(n), { ppid, args });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

function descendants(all, pid) {
  const out = [];
  for (const [p, info] of all) if (info.ppid === pid) out.push(p, ...descendants(all, p));
  return out;
}

const firstSeen = new Map();
const watch = setInterval(() => {
  const all = processes();
  const now = Date.now();
  for (const [pid, info] of all) {
    if (info.ppid !== runner.pid) continue;
    const file = info.args.find((a) => a.endsWith('.test.js'));
    if (!file) continue;
    if (!firstSeen.has(pid)) firstSeen.set(pid, now);
    if (now - firstSeen.get(pid) < FILE_BOUND_MS) continue;
    firstSeen.set(pid, Infinity);
    const under = descendants(all, pid).map((p) => `  ${p}: ${all.get(p).args.join(' ').slice(0, 200)}`);
    console.error(
      `\nrun-tests: ${path.relative(root, file)} has run for ${Math.round(FILE_BOUND_MS / 1000)} s ` +
        `(a test still running, or its process not exiting after its tests: a handle left open); killed.` +
        (under.length ? `\nIts processes:\n${under.join('\n')}` : ''),
    );
    for (const p of [pid, ...descendants(all, pid)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}, WATCH_EVERY_MS);

runner.on('exit', (code, signal) => {
  clearInterval(watch);
  process.exitCode = code ?? (signal ? 1 : 0);
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => runner.kill(s));
