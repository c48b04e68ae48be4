#!/usr/bin/env node
// Checks that every scenario in examples/expectations.json behaves as the manifest says,
// without Heap Lens itself: the examples are the test suite's ground truth, so they must
// not be verified by the code they are meant to test.
//
//   node --expose-gc examples/verify.js              all scenarios, 2 at a time
//   node --expose-gc examples/verify.js map-entry    only patterns containing "map-entry"
//   node --expose-gc examples/verify.js --paths      also print each retainer path
//   node --expose-gc examples/verify.js --node-flag=--no-turbo-inlining   (any V8/Node flag)
//
// Each scenario runs in its own child process (module state, process listeners and
// timers must not leak from one scenario into the next). The child mirrors the runner:
// setup, 2 warm-up iterations, then 8 measured iterations of action + back, with a forced
// GC before each reading. Three independent signals are checked:
//   1. heapUsed after GC: leaks grow roughly linearly, controls stay flat;
//   2. live instances of the manifest's class, counted in a heap snapshot before and after
//      the measured iterations: leaks grow by `instancesPerIteration` per iteration,
//      controls do not grow at all;
//   3. for leaks, the shortest retainer path of a leaked instance (from V8's own snapshot)
//      contains `retainerEdge`, and V8's allocation tracking attributes the instance to
//      `allocationFunction`. The manifest line is checked to hold the allocation itself.

'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const WARMUP = 2;
const MEASURED = 8;
let nodeFlags = [];

// Thresholds, per measured iteration. Leaks are built to retain >= ~100 KB per
// iteration; after a full GC the heap of an idle scenario moves by a few KB at most.
const LEAK_MIN_SLOPE = 60 * 1024;
const CONTROL_MAX_SLOPE = 16 * 1024;

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3])).catch((err) => {
    process.stdout.write(JSON.stringify({ fatal: String(err && err.stack || err) }) + '\n');
    process.exitCode = 1;
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}

// ---------------------------------------------------------------------------------------
// Parent: pick scenarios, run children, judge.

async function main() {
  const args = process.argv.slice(2);
  const showPaths = args.includes('--paths');
  const filters = args.filter((a) => !a.startsWith('--'));
  nodeFlags = args.filter((a) => a.startsWith('--node-flag=')).map((a) => a.slice('--node-flag='.length));
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'expectations.json'), 'utf8'));
  const entries = manifest.scenarios.filter((e) => filters.length === 0 || filters.some((f) => e.pattern.includes(f) || e.scenario.includes(f)));

  if (entries.some((e) => e.build)) buildTypeScript();
  if (entries.some((e) => e.package)) execFileSync('sh', [path.join(__dirname, 'packages', 'install.sh')], { stdio: 'inherit' });

  const results = await runPool(entries, 2, runChild);
  let failed = 0;
  for (const r of results) {
    const problems = judge(r.entry, r.result);
    if (problems.length) failed++;
    printResult(r.entry, r.result, problems, showPaths);
  }
  console.log(`\n${results.length - failed}/${results.length} scenarios behave as expectations.json says`);
  if (failed) process.exitCode = 1;
}

function buildTypeScript() {
  // The test suite compiles with the repo's TypeScript; do the same.
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'ts-leak')], { stdio: 'inherit' });
}

async function runPool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const i = next++;
      out[i] = { entry: items[i], result: await fn(items[i]) };
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

function runChild(entry) {
  return new Promise((resolve) => {
    // TypeScript scenarios load through the same transpile-on-load hook the hunt uses (it only
    // transpiles; nothing of Heap Lens's analysis runs here). `npm run build` makes it.
    const tsHook = /\.[cm]?tsx?$/.test(entry.scenario) ? ['--require', path.join(ROOT, 'dist', 'tsLoader.js')] : [];
    const child = spawn(process.execPath, ['--expose-gc', ...tsHook, ...nodeFlags, __filename, '--child', JSON.stringify(entry)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A scenario whose timers or handles keep the process alive is itself a bug the
    // runner would trip over; the child has to exit on its own.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() || '{}';
      let result;
      try {
        result = JSON.parse(line);
      } catch {
        result = { fatal: `unparsable child output: ${stdout.slice(-500)}` };
      }
      if (code !== 0 && !result.fatal) result.fatal = `child exited with ${signal || code}`;
      if (stderr.trim()) result.stderr = stderr.trim();
      resolve(result);
    });
  });
}

function judge(entry, r) {
  const problems = [];
  if (r.fatal) return [r.fatal];
  // A package's own "possible EventEmitter memory leak" warning is a symptom, not a failure.
  const stderr = (r.stderr || '').split('\n').filter((l) => l && !/MaxListenersExceededWarning|--trace-warnings/.test(l));
  if (stderr.length) problems.push(`wrote to stderr: ${stderr[0]}`);
  const perIter = entry.instancesPerIteration || 0;
  const countGrowth = r.countAfter - r.countBefore;
  if (!r.lineHasAllocation) problems.push(`line ${entry.allocation.line} of ${entry.allocation.file} does not hold ${entry.allocation.text || `new ${entry.className}(`}`);
  if (entry.kind === 'leak') {
    if (r.slope < LEAK_MIN_SLOPE) problems.push(`heap grows ${kb(r.slope)}/iter, want >= ${kb(LEAK_MIN_SLOPE)}`);
    if (r.rising < MEASURED - 2) problems.push(`heap rose in only ${r.rising}/${MEASURED} iterations`);
    // Classes the program also uses elsewhere (Array, a package's closures) may move by a
    // few besides the leak: `countAtLeast` then asks for at least the leak's growth.
    if (!entry.entriesPerIteration && (entry.countAtLeast ? countGrowth < perIter * MEASURED : countGrowth !== perIter * MEASURED)) {
      problems.push(`${entry.className} count grew by ${countGrowth}, want ${entry.countAtLeast ? 'at least ' : ''}${perIter * MEASURED}`);
    }
    if (entry.entriesPerIteration) {
      // No object per iteration, so no instance to count or to find a path for: the
      // containers' entries must grow by exactly this much.
      const grown = r.entries.slice(1).map((e, i) => e - r.entries[i]);
      if (grown.some((g) => g !== entry.entriesPerIteration)) problems.push(`entries grew by ${grown.join(', ')}, want ${entry.entriesPerIteration} each iteration`);
      return problems;
    }
    const edges = [entry.retainerEdge, ...(entry.retainerEdgeAlternatives || [])];
    const missing = (entry.edges || []).filter((e) => !r.path || !r.path.some((s) => s.edge === e));
    if (r.path && missing.length) problems.push(`edges ${JSON.stringify(missing)} not on the retainer path`);
    if (!r.path) problems.push('no retainer path found for a leaked instance');
    else if (!r.path.some((s) => edges.includes(s.edge))) problems.push(`none of ${JSON.stringify(edges)} on the retainer path`);
    else if (!r.path.some((s) => s.edge === entry.retainerEdge)) {
      // Seen rarely: a "(Handle scope)" root holding an object half-way down the path
      // at the moment of the snapshot, which cuts the path short.
      r.notes = [`retainerEdge "${entry.retainerEdge}" not on this path; an alternative is`];
    }
    // V8 names the function of the *frame* that allocated: once TurboFan has inlined the
    // allocating function into its caller, the caller is named instead (run with
    // --node-flag=--no-turbo-inlining and every record names allocationFunction). So:
    // the manifest's function must be among those named, and the functions of the
    // scenario's own files (the inlining callers) must hold the majority of records.
    // A package leak is allocated inside the package (or Node's own code it calls): the
    // records must point there, and the manifest's function is the package's.
    const own = entry.package ? (f) => /node_modules|^node:/.test(f.script) || f.script === '' : (f) => f.script.startsWith('examples/');
    const total = r.allocFunctions.reduce((a, f) => a + f.count, 0);
    const ownCount = r.allocFunctions.filter(own).reduce((a, f) => a + f.count, 0);
    if (!total) problems.push('allocation tracking recorded no function for any leaked instance');
    else if (entry.allocationRecordsLost) r.notes = [...(r.notes || []), 'allocation records are lost for this class (see README)'];
    else if (!entry.package && !r.allocFunctions.some((f) => f.name === entry.allocationFunction)) problems.push(`never attributed to ${entry.allocationFunction}`);
    else if (!entry.package && ownCount * 2 <= total) problems.push(`only ${ownCount}/${total} allocation records point into ${entry.package ? 'the package' : 'the examples'}`);
  } else {
    // A real package keeps warming up for a few iterations (code, lazily built tables):
    // its controls may say how much slope that is (`maxSlope`), still far below a leak's.
    const maxSlope = entry.maxSlope || CONTROL_MAX_SLOPE;
    if (r.slope > maxSlope) problems.push(`heap grows ${kb(r.slope)}/iter, want <= ${kb(maxSlope)}`);
    // A control of a class the program uses everywhere (Array, closures) may move by a few.
    const tolerance = entry.countTolerance || 0;
    if (countGrowth > tolerance) problems.push(`${entry.className} count grew by ${countGrowth}, want at most ${tolerance}`);
  }
  return problems;
}

function printResult(entry, r, problems, showPaths) {
  const status = problems.length ? 'FAIL' : 'ok  ';
  const name = `${entry.kind.padEnd(7)} ${entry.pattern}`.padEnd(36);
  if (r.fatal) {
    console.log(`${status} ${name} ${r.fatal}`);
    return;
  }
  const count = `${entry.className} ${r.countBefore} -> ${r.countAfter}`;
  console.log(`${status} ${name} heap ${kb(r.slope).padStart(9)}/iter  ${count}`);
  for (const p of problems) console.log(`       - ${p}`);
  for (const n of r.notes || []) console.log(`       note: ${n}`);
  if ((showPaths || problems.length || r.notes) && r.path) {
    console.log(`       path: ${formatPath(r.path)}`);
    if (r.allocFunctions.length) console.log(`       allocated in: ${r.allocFunctions.map((f) => `${f.name} (${f.script}:${f.line}) x${f.count}`).join(', ')}`);
  }
}

function formatPath(steps) {
  // Linked lists (timer lists, listener chains, promise reactions) repeat one step many
  // times; print a run once with its length.
  const parts = [];
  for (let i = 0; i < steps.length; ) {
    const s = steps[i];
    let j = i + 1;
    while (j < steps.length && steps[j].edge === s.edge && steps[j].node === s.node) j++;
    const text = s.edge === null ? s.node : `-[${s.edge}]-> ${s.node}`;
    parts.push(j - i > 1 ? `(${text}) x${j - i}` : text);
    i = j;
  }
  return parts.join(' ');
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

// ---------------------------------------------------------------------------------------
// Child: run one scenario the way the runner does, and report what happened.

async function child(entry) {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params || {}, (err, res) => (err ? reject(err) : resolve(res))));

  const scenarioPath = path.join(ROOT, entry.scenario);
  const allocFile = path.join(ROOT, entry.allocation.file);
  const lineText = fs.readFileSync(allocFile, 'utf8').split('\n')[entry.allocation.line - 1] || '';
  // Package leaks name the user's call into the package (allocation.text), not a `new`.
  const wanted = entry.allocation.text || `new ${entry.className}(`;
  let lineHasAllocation = entry.allocationKind === 'literal' ? /[{[]/.test(lineText) : lineText.includes(wanted);
  if (lineHasAllocation && entry.build) lineHasAllocation = mapsBackToSource(entry);

  await post('HeapProfiler.enable');
  await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });

  // ES-module scenarios (.mjs, .mts, or "type": "module") load as the harness loads them.
  const scenario = /\.m[jt]s$/.test(scenarioPath) ? await import(require('node:url').pathToFileURL(scenarioPath).href) : require(scenarioPath);
  const once = async () => {
    await scenario.action();
    if (scenario.back) await scenario.back();
  };
  if (scenario.setup) await scenario.setup();
  for (let i = 0; i < WARMUP; i++) await once();
  await settledHeapUsed();

  // Read what is needed and drop the parsed snapshot at once: the measured heap must
  // not include the verifier's own data.
  session.post('Runtime.discardConsoleEntries');
  const { countBefore, maxIdBefore } = readBaseline(session, entry.className, entry.nodeType);

  // A leak of Buffers keeps little in the JS heap and its bytes outside it (`externalMemory`):
  // then the readings add the ArrayBuffers' backing stores.
  // An inspector session keeps the arguments of the last 1,000 console messages (the
  // `console-log` control): dropped before every reading and snapshot, as the hunt drops them.
  const discardConsole = () => session.post('Runtime.discardConsoleEntries');
  const reading = async () => {
    discardConsole();
    return (await settledHeapUsed()) + (entry.externalMemory ? process.memoryUsage().arrayBuffers : 0);
  };
  const heap = [await reading()];
  // A leak of numbers makes no object (`entriesPerIteration`): the scenario's `entries()` says
  // how many its containers hold.
  const entries = scenario.entries ? [scenario.entries()] : [];
  for (let i = 0; i < MEASURED; i++) {
    await once();
    heap.push(await reading());
    if (scenario.entries) entries.push(scenario.entries());
  }

  discardConsole();
  const after = parseSnapshot(takeSnapshot(session));
  const countAfter = after.count(entry.className, entry.nodeType);
  let pathSteps = null;
  let allocFunctions = [];
  const fresh = after.instances(entry.className, entry.nodeType).filter((n) => after.idOf(n) > maxIdBefore);
  if (fresh.length) {
    // A member from the middle of the run: neither the first (which may sit on a
    // special path, e.g. the head of a list) nor the newest.
    pathSteps = after.retainerPath(fresh[Math.floor(fresh.length / 2)]);
    allocFunctions = after.allocationFunctions(fresh);
  }
  // No stopTrackingHeapObjects: it would stream one more full snapshot, and the process
  // is about to exit anyway.
  session.disconnect();

  const deltas = heap.slice(1).map((h, i) => h - heap[i]);
  const result = {
    heap,
    slope: slope(heap),
    rising: deltas.filter((d) => d > 0).length,
    countBefore,
    countAfter,
    lineHasAllocation,
    entries,
    path: pathSteps,
    allocFunctions,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  // Scenarios that leak timers unref them; anything else still pending is the
  // scenario's business, not a reason to hang the verifier.
  setImmediate(() => process.exit(process.exitCode || 0));
}

function readBaseline(session, className, nodeType) {
  const before = parseSnapshot(takeSnapshot(session));
  return { countBefore: before.count(className, nodeType), maxIdBefore: before.maxId };
}

// For compiled examples the manifest names the .ts line; check that the compiled
// allocation maps back to exactly that line through the emitted source map.
function mapsBackToSource(entry) {
  const { TraceMap, originalPositionFor } = require('@jridgewell/trace-mapping');
  const compiled = path.join(ROOT, entry.allocation.file.replace('/src/', '/dist/').replace(/\.ts$/, '.js'));
  const lines = fs.readFileSync(compiled, 'utf8').split('\n');
  const line = lines.findIndex((t) => t.includes(`new ${entry.className}(`));
  if (line < 0) return false;
  const map = new TraceMap(fs.readFileSync(`${compiled}.map`, 'utf8'), compiled);
  const column = lines[line].indexOf(`new ${entry.className}(`);
  const pos = originalPositionFor(map, { line: line + 1, column });
  const source = pos.source && path.resolve(path.dirname(compiled), pos.source);
  return source === path.join(ROOT, entry.allocation.file) && pos.line === entry.allocation.line;
}

async function settledHeapUsed() {
  // Let the iteration's pending immediates and microtasks finish, then collect until the
  // reading stops falling: one forced GC may only clear weak cells and queue finalizers,
  // and a large dead string (such as a parsed snapshot) sometimes outlives one GC.
  let previous = Infinity;
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setImmediate(r));
    global.gc();
    const used = process.memoryUsage().heapUsed;
    if (previous - used < 32 * 1024) return Math.min(previous, used);
    previous = used;
  }
  return previous;
}

// Theil-Sen: the median of all pairwise slopes. One odd reading (now and then the first
// reading after the baseline snapshot still holds ~8 MB that the next iteration frees)
// must not turn a leak into a "shrinking" heap.
function slope(ys) {
  const slopes = [];
  for (let i = 0; i < ys.length; i++) for (let j = i + 1; j < ys.length; j++) slopes.push((ys[j] - ys[i]) / (j - i));
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
}

// Synchronous on purpose: an in-process inspector session answers `post` before it
// returns, and doing it without promises means no settled promise or suspended async
// frame can keep the multi-megabyte snapshot text alive into the measured heap.
function takeSnapshot(session) {
  const chunks = [];
  const onChunk = (m) => chunks.push(m.params.chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  let done = false;
  session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, (err) => {
    if (err) throw err;
    done = true;
  });
  session.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk);
  if (!done) throw new Error('the inspector session did not answer synchronously');
  return chunks.join('');
}

// A minimal reader of V8's .heapsnapshot format: enough to count a class, find the
// shortest strong retainer path from the GC roots, and read allocation traces.
function parseSnapshot(text) {
  const snap = JSON.parse(text);
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields;
  const ef = meta.edge_fields;
  const N = nf.length;
  const E = ef.length;
  const nodeTypes = meta.node_types[nf.indexOf('type')];
  const edgeTypes = meta.edge_types[ef.indexOf('type')];
  const nType = nf.indexOf('type');
  const nName = nf.indexOf('name');
  const nId = nf.indexOf('id');
  const nEdges = nf.indexOf('edge_count');
  const nTrace = nf.indexOf('trace_node_id');
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const eTo = ef.indexOf('to_node');
  const { nodes, edges, strings } = snap;
  const nodeCount = nodes.length / N;

  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0, e = 0; i < nodeCount; i++) {
    firstEdge[i] = e;
    e += nodes[i * N + nEdges] * E;
    firstEdge[i + 1] = e;
  }

  const name = (n) => strings[nodes[n * N + nName]];
  const type = (n) => nodeTypes[nodes[n * N + nType]];
  const edgeName = (e) => {
    const t = edgeTypes[edges[e + eType]];
    const v = edges[e + eName];
    return t === 'element' || t === 'hidden' ? String(v) : strings[v];
  };

  // BFS from the synthetic root over strong edges gives every node's distance and a
  // parent edge; following parents back reads a shortest retainer path.
  let parentEdge = null;
  let parentNode = null;
  function bfs() {
    parentEdge = new Int32Array(nodeCount).fill(-1);
    parentNode = new Int32Array(nodeCount).fill(-1);
    const seen = new Uint8Array(nodeCount);
    const queue = new Uint32Array(nodeCount);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    seen[0] = 1;
    while (head < tail) {
      const n = queue[head++];
      // The string table holds every property name; it is no reason for a key to live.
      if (name(n) === '(Internalized strings)') continue;
      for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += E) {
        if (edgeTypes[edges[e + eType]] === 'weak') continue;
        const to = edges[e + eTo] / N;
        if (seen[to]) continue;
        seen[to] = 1;
        parentEdge[to] = e;
        parentNode[to] = n;
        queue[tail++] = to;
      }
    }
  }

  // Object ids grow with allocation order; native nodes carry address-like ids instead.
  let maxId = 0;
  for (let i = 0; i < nodeCount; i++) if (/^(object|closure|string|concatenated string)$/.test(type(i))) maxId = Math.max(maxId, nodes[i * N + nId]);

  return {
    maxId,
    idOf: (n) => nodes[n * N + nId],
    count(cls, nodeType) {
      return this.instances(cls, nodeType).length;
    },
    // `nodeType` (default object): closure for leaked functions; for strings (also
    // `concatenated string`, a rope), `cls` is a prefix of the string's text.
    instances(cls, nodeType = 'object') {
      const out = [];
      for (let i = 0; i < nodeCount; i++) {
        if (type(i) !== nodeType) continue;
        if (/string$/.test(nodeType) ? name(i).startsWith(cls) : name(i) === cls) out.push(i);
      }
      return out;
    },
    retainerPath(target) {
      if (!parentEdge) bfs();
      const steps = [];
      let n = target;
      while (n > 0 && parentNode[n] >= 0) {
        steps.push({ edge: edgeName(parentEdge[n]), node: `${type(n)}:${name(n).slice(0, 40)}` });
        n = parentNode[n];
      }
      if (n !== 0) return null;
      steps.push({ edge: null, node: '(root)' });
      return steps.reverse();
    },
    allocationFunctions(members) {
      const tfFields = meta.trace_function_info_fields;
      const infos = snap.trace_function_infos || [];
      const F = tfFields.length;
      const fnIndexOf = new Map();
      const walk = (tree) => {
        for (let i = 0; i < tree.length; i += 5) {
          fnIndexOf.set(tree[i], tree[i + 1]);
          walk(tree[i + 4]);
        }
      };
      walk(snap.trace_tree || []);
      // Members whose record is lost (see notes/v8-facts.md) are skipped; the rest are
      // counted per function, most frequent first.
      const seen = new Map();
      for (const n of members) {
        const traceId = nodes[n * N + nTrace];
        if (!traceId || !fnIndexOf.has(traceId)) continue;
        const f = fnIndexOf.get(traceId) * F;
        const fnName = strings[infos[f + tfFields.indexOf('name')]];
        const line = infos[f + tfFields.indexOf('line')];
        const key = `${fnName}@${line}`;
        if (!seen.has(key)) {
          const name = strings[infos[f + tfFields.indexOf('script_name')]] || '';
          // ES modules are named by file:// URL, CommonJS modules by path.
          const script = name.startsWith('file:') ? require('node:url').fileURLToPath(name) : name;
          seen.set(key, { name: fnName, script: script.startsWith(ROOT) ? path.relative(ROOT, script) : script, line, count: 0 });
        }
        seen.get(key).count++;
      }
      return [...seen.values()].sort((a, b) => b.count - a.count);
    },
  };
}
