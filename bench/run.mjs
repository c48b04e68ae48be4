#!/usr/bin/env node
// Heap Lens load benchmark against the reference analyzers (../shared/anchors).
//
//   npm run bench -- [--sizes 100,500,1500,bigstrings] [--tools heaplens,heaplens-baseline,devtools,memlab,vscode-parser]
//                    [--skip-make] [--quick] [--out DIR] [--timeout-min 45] [--no-hooks]
//                    [--hooks story,webview,workbench,editor] [--repeat N]
//
// --repeat N: on files under 1 GB every tool runs N times, the tools taking turns (A B A B ...),
// and each tool's median run (by load time) is reported, with the range of its runs beside
// it: this host's speed swings by tens of percent from minute to minute (other tenants), and
// one run each can land a tool on a fast minute and another on a slow one. A tool that fails
// on a file is not run on it again.
//
// All tools are measured in ONE run on the SAME cached files, one process at a
// time (the machine has 2 cores shared with other work; parallel runs would
// measure contention, not the tools).  Snapshots live in
// ${HEAPLENS_BENCH_DIR:-~/.cache/heaplens-bench}; logs and the markdown table
// of each run go to <that dir>/results/<timestamp>/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { anchorWork, anchorsDir, benchDir, checkAnchors, repoRoot } from './lib/paths.mjs';
import { haveTimeV, runNode } from './lib/proc.mjs';
import { DEFAULT_SIZES, QUICK_SIZES, describe, ensureSnapshot, warmPageCache } from './lib/snapshots.mjs';
import { DEFAULT_TOOLS, TOOLS, TOOL_ORDER, figures, toolCwd } from './lib/tools.mjs';
import { consistencyNotes, renderMarkdown } from './lib/report.mjs';
import * as storyHook from './lib/hooks/story.mjs';
import * as webviewHook from './lib/hooks/webview.mjs';
import * as workbenchHook from './lib/hooks/workbench.mjs';
import * as editorHook from './lib/hooks/editor.mjs';

// Timings other parts of the product provide; see the contracts in bench/lib/hooks/.
// scope 'snapshot': measured on every snapshot; scope 'run': once per bench run.
const HOOKS = [storyHook, webviewHook, workbenchHook, editorHook];

async function runHook(hook, ctx) {
  try {
    return await hook.measure(ctx);
  } catch (e) {
    return { status: 'failed', reason: e && e.message ? e.message : String(e) };
  }
}

async function timedHook(hook, ctx) {
  const before = os.loadavg()[0];
  const r = await runHook(hook, ctx);
  return { ...r, loadAvg: [before, os.loadavg()[0]] };
}

function parseArgs(argv) {
  const o = {
    sizes: null,
    tools: DEFAULT_TOOLS,
    skipMake: false,
    quick: false,
    out: null,
    timeoutMin: 45,
    hooks: true,
    repeat: 1,
    /** Which hooks run (all by default). */
    hookIds: HOOKS.map((h) => h.id),
  };
  const list = (v, flag) => {
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a comma-separated list`);
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') o.sizes = list(argv[++i], a);
    else if (a === '--tools') o.tools = list(argv[++i], a);
    else if (a === '--skip-make') o.skipMake = true;
    else if (a === '--quick') o.quick = true;
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--timeout-min') o.timeoutMin = Number(argv[++i]);
    else if (a === '--no-hooks') o.hooks = false;
    else if (a === '--repeat') {
      o.repeat = Number(argv[++i]);
      if (!Number.isInteger(o.repeat) || o.repeat < 1 || o.repeat > 9) throw new Error('--repeat needs 1-9');
    } else if (a === '--hooks') o.hookIds = list(argv[++i], a);
    else if (a === '--help' || a === '-h') {
      console.log(
        fs
          .readFileSync(new URL(import.meta.url), 'utf8')
          .split('\n')
          .slice(1, 12)
          .join('\n')
          .replace(/^\/\/ ?/gm, ''),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  for (const h of o.hookIds)
    if (!HOOKS.some((x) => x.id === h))
      throw new Error(`--hooks: unknown hook "${h}" (known: ${HOOKS.map((x) => x.id).join(', ')})`);
  for (const t of o.tools)
    if (!TOOLS[t]) throw new Error(`--tools: unknown tool "${t}" (known: ${TOOL_ORDER.join(', ')})`);
  // always the same order, Heap Lens first, whatever order the flag lists them in
  o.tools = TOOL_ORDER.filter((t) => o.tools.includes(t));
  // --quick is a smoke run of the harness itself: a ~10 MB file unless sizes were given
  o.sizes = o.sizes || (o.quick ? QUICK_SIZES : DEFAULT_SIZES);
  return o;
}

/** The run of median load time (a failed run counts as the slowest), with the range beside it. */
function medianRun(list) {
  if (list.length === 1) return list[0];
  const key = (f) => (f.ok && Number.isFinite(f.loadMs) ? f.loadMs : Infinity);
  const sorted = [...list].sort((a, b) => key(a) - key(b));
  const mid = sorted[(sorted.length - 1) >> 1];
  const ok = list.filter((f) => key(f) !== Infinity).map(key);
  return { ...mid, runs: list.length, loadRange: ok.length ? [Math.min(...ok), Math.max(...ok)] : null };
}

const log = (msg) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const chosen = HOOKS.filter((h) => opt.hookIds.includes(h.id));
  const snapshotHooks = chosen.filter((h) => h.scope !== 'run');
  const runHooks = chosen.filter((h) => h.scope === 'run');
  const snaps = opt.sizes.map(describe);
  const resultsDir = path.resolve(
    opt.out || path.join(benchDir, 'results', new Date().toISOString().replace(/[:.]/g, '-')),
  );
  fs.mkdirSync(resultsDir, { recursive: true });

  const oracleTools = opt.tools.filter((t) => t !== 'heaplens');
  if (oracleTools.length) {
    // idempotent and quick when already installed; the oracles cannot run without it
    // its one-line status goes to stderr: stdout carries only the markdown, so it can be redirected to a file
    execFileSync('sh', [path.join(repoRoot, 'scripts', 'setup-anchors.sh'), anchorWork], {
      stdio: ['ignore', 2, 2],
    });
  }
  const problems = checkAnchors();
  if (problems.length) throw new Error(problems.join('\n'));
  if (!haveTimeV)
    log('WARNING: /usr/bin/time missing (apt-get install time): whole-process RSS will be blank');
  log(`anchors ${anchorsDir}, anchor work ${anchorWork}, snapshots ${benchDir}, results ${resultsDir}`);

  // Make everything first, so a generator's 8 GB peak never overlaps a measurement.
  const made = new Map();
  for (const snap of snaps) made.set(snap.name, await ensureSnapshot(snap, { skipMake: opt.skipMake, log }));

  const results = [];
  for (const snap of snaps) {
    const r = {
      snap: { name: snap.name, label: snap.label, file: snap.file },
      fileMb: null,
      tools: {},
      hooks: {},
      notes: [],
      skipped: null,
    };
    results.push(r);
    const m = made.get(snap.name);
    if (!m.ok) {
      r.skipped = m.reason;
      log(`${snap.name}: skipped: ${m.reason}`);
      continue;
    }
    r.fileMb = fs.statSync(snap.file).size / 1048576;
    await warmPageCache(snap.file);
    const runnable = [];
    for (const t of opt.tools) {
      const tool = TOOLS[t];
      if (snap.only && !snap.only.includes(t)) {
        r.tools[t] = { skipped: 'not run at this size' };
        continue;
      }
      const unavailable = tool.available();
      if (unavailable) {
        r.tools[t] = { skipped: unavailable };
        log(`${snap.name} ${t}: ${unavailable}`);
        continue;
      }
      runnable.push(t);
    }
    const rounds = r.fileMb < 1024 ? opt.repeat : 1;
    const runs = new Map(runnable.map((t) => [t, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const t of runnable) {
        // A tool that failed on a file fails again (its limits, "Invalid string length"), at
        // the same cost: MemLab takes minutes to give up on big-strings.
        if (runs.get(t).some((f) => !f.ok)) continue;
        // Other work shares this machine: the 1-minute load average before and after each
        // measurement is printed beside it, so a figure taken under contention says so.
        const loadBefore = os.loadavg()[0];
        const which = rounds > 1 ? ` (run ${round} of ${rounds})` : '';
        log(`${snap.name} ${t}${which} ... (load average ${loadBefore.toFixed(2)})`);
        const run = await runNode(TOOLS[t].args(snap.file), {
          cwd: toolCwd,
          timeoutMs: opt.timeoutMin * 60_000,
          logBase: path.join(resultsDir, `${snap.name}.${t}${rounds > 1 ? `.${round}` : ''}`),
        });
        const f = figures(run);
        f.loadAvg = [loadBefore, os.loadavg()[0]];
        runs.get(t).push(f);
        log(
          `${snap.name} ${t}: ${f.ok ? `parse ${f.parseMs} ms, load ${f.loadMs} ms, peak RSS ${f.rssMb} MB [time -v ${f.timeRssMb.toFixed(0)} MB]` : `FAILED: ${f.reason}`}`,
        );
      }
    }
    for (const t of runnable) r.tools[t] = medianRun(runs.get(t));
    r.notes.push(...consistencyNotes(r.tools));
    // The 4 and 8 GB files measure the engine's load alone: a product timing there (the
    // workbench hook took over ten minutes at 8 GB) would only make the run too long to repeat.
    if (opt.hooks && !snap.only) {
      for (const hook of snapshotHooks)
        r.hooks[hook.id] = await timedHook(hook, { file: snap.file, snap: r.snap, resultsDir, runNode, log });
    }
  }
  const runHookResults = {};
  if (opt.hooks) {
    for (const hook of runHooks) {
      log(`${hook.id} hook ...`);
      runHookResults[hook.id] = await timedHook(hook, { resultsDir, runNode, log });
    }
  }

  const meta = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    repeat: opt.repeat,
    machine: `${os.cpus().length} CPU, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    hooks: opt.hooks ? snapshotHooks.map((h) => ({ id: h.id, title: h.title })) : [],
    runHooks: opt.hooks ? runHooks.map((h) => ({ id: h.id, title: h.title })) : [],
  };
  const md = renderMarkdown({ results, runHookResults, tools: opt.tools, meta });
  fs.writeFileSync(path.join(resultsDir, 'summary.md'), md);
  fs.writeFileSync(
    path.join(resultsDir, 'results.json'),
    JSON.stringify({ meta, options: opt, results, runHookResults }, null, 2),
  );
  process.stdout.write(md);
  log(`wrote ${path.join(resultsDir, 'summary.md')}`);
}

main().catch((e) => {
  console.error(`bench: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
