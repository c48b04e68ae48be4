// Programs for the parity corpus that write their own snapshot. Each one is small (a few MB
// of snapshot) and differs from the others in the way the snapshot is made (where in the
// program, by which API, with which options, on which thread) or in what the heap holds,
// because each such difference once produced, or could produce, a graph shape the analyzer
// has to get right. The snapshot goes to the path given as the program's last argument.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './anchors';
import { describeRun, runNode } from './proc';

export interface ScriptProgram {
  name: string;
  source: string;
  /** .mjs for an ES module; other files the program imports, by name. */
  ext?: '.js' | '.mjs';
  files?: Record<string, string>;
  /** Node options before the script. */
  flags?: string[];
  /** Run as `node -e SOURCE` (the snapshot path is then process.argv[1]). */
  evaluate?: boolean;
}

/** Runs the program in a child Node and returns the snapshot it wrote. */
export async function runScriptProgram(dir: string, p: ScriptProgram): Promise<string> {
  const out = path.join(dir, `${p.name}.heapsnapshot`);
  for (const [name, text] of Object.entries(p.files ?? {})) fs.writeFileSync(path.join(dir, name), text);
  let args: string[];
  if (p.evaluate) {
    args = [...(p.flags ?? []), '-e', p.source, out];
  } else {
    const file = path.join(dir, `${p.name}${p.ext ?? '.js'}`);
    fs.writeFileSync(file, p.source);
    args = [...(p.flags ?? []), file, out];
  }
  // HEAPLENS_REPO: where a program finds the npm packages it loads (Heap Lens' own node_modules).
  const r = await runNode(args, {
    cwd: dir,
    timeoutMs: 60_000,
    env: { ...process.env, HEAPLENS_REPO: repoRoot },
  });
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error(describeRun(`program ${p.name}`, r));
  return out;
}

const OUT = 'process.argv[process.argv.length - 1]';

export const SCRIPT_PROGRAMS: ScriptProgram[] = [
  {
    // The case: a snapshot written by `node -e` itself (9 nodes differed before the
    // clique fix, under (Handle scope) and (Stack roots)).
    name: 'eval-map',
    evaluate: true,
    source: `const m = new Map(); for (let i = 0; i < 20000; i++) m.set('k' + i, { i, s: 'v' + i });
globalThis.m = m; require('v8').writeHeapSnapshot(${OUT});`,
  },
  {
    // Deep in a call stack: recursion, a generator, a class method and a try/finally are all
    // on the stack with live locals when V8 walks it.
    name: 'mid-call',
    source: `'use strict';
const v8 = require('v8');
class Walker {
  constructor() { this.seen = []; }
  visit(depth, out) {
    const frame = { depth, payload: new Array(8).fill(depth) };
    this.seen.push(frame.payload);
    if (depth === 0) { try { return runGen(out); } finally { this.seen.push('done'); } }
    return this.visit(depth - 1, out) + frame.depth;
  }
}
function* gen(out) { const local = { inGenerator: true, big: 'g'.repeat(300) }; v8.writeHeapSnapshot(out); yield local; }
function runGen(out) { const it = gen(out); const { value } = it.next(); return value.big.length; }
new Walker().visit(300, ${OUT});`,
  },
  {
    // v8.getHeapSnapshot(): the stream API, while timers and promises are pending.
    name: 'get-heap-snapshot',
    source: `'use strict';
const v8 = require('v8'); const fs = require('fs'); const { pipeline } = require('stream');
const pending = []; for (let i = 0; i < 200; i++) pending.push(new Promise((r) => setTimeout(r, 1e6, { i })));
const cache = new Map(); for (let i = 0; i < 3000; i++) cache.set(i, { id: i, tags: ['a' + (i % 7)], at: new Date(i) });
globalThis.state = { pending, cache };
pipeline(v8.getHeapSnapshot(), fs.createWriteStream(${OUT}), (err) => { if (err) throw err; process.exit(0); });`,
  },
  {
    name: 'expose-internals',
    source: `'use strict';
const v8 = require('v8');
globalThis.keep = Array.from({ length: 2000 }, (_, i) => ({ i, f: () => i, name: 'n' + i }));
v8.writeHeapSnapshot(${OUT}, { exposeInternals: true });`,
  },
  {
    name: 'expose-numeric-values',
    source: `'use strict';
const v8 = require('v8');
globalThis.nums = { doubles: Array.from({ length: 3000 }, (_, i) => ({ x: i + 0.5, y: -i / 3 })), smis: [1, 2, 3],
  boxed: [new Number(4.25), Math.PI, Number.MAX_VALUE, -0, NaN] };
v8.writeHeapSnapshot(${OUT}, { exposeNumericValues: true });`,
  },
  {
    name: 'expose-both',
    source: `'use strict';
const v8 = require('v8');
globalThis.mix = Array.from({ length: 1500 }, (_, i) => ({ v: i * 1.25, label: 'm' + i, next: null }));
for (let i = 1; i < mix.length; i++) mix[i - 1].next = mix[i];
v8.writeHeapSnapshot(${OUT}, { exposeInternals: true, exposeNumericValues: true });`,
  },
  {
    // A worker thread writes a snapshot of its own heap.
    name: 'worker-self',
    source: `'use strict';
const { Worker } = require('worker_threads');
const w = new Worker(\`const v8 = require('v8'); const { workerData } = require('worker_threads');
globalThis.inWorker = Array.from({ length: 4000 }, (_, i) => ({ i, s: 'w' + i }));
v8.writeHeapSnapshot(workerData.out);\`, { eval: true, workerData: { out: ${OUT} } });
w.on('exit', (code) => process.exit(code));`,
  },
  {
    // The main thread streams a running worker's heap (worker.getHeapSnapshot()).
    name: 'worker-from-main',
    source: `'use strict';
const { Worker } = require('worker_threads'); const fs = require('fs'); const { pipeline } = require('stream');
const w = new Worker(\`const { parentPort } = require('worker_threads');
globalThis.held = new Map(); for (let i = 0; i < 3000; i++) held.set(i, { i, buf: new Uint8Array(16) });
parentPort.postMessage('ready'); setInterval(() => {}, 1e6);\`, { eval: true });
w.once('message', async () => {
  const stream = await w.getHeapSnapshot();
  pipeline(stream, fs.createWriteStream(${OUT}), (err) => { if (err) throw err; w.terminate().then(() => process.exit(0)); });
});`,
  },
  {
    // An ES module graph: static and dynamic imports, top-level await, live bindings.
    name: 'esm',
    ext: '.mjs',
    files: {
      'esm-lib.mjs': `export let counter = 0; export function bump() { counter++; return counter; }
export const table = new Map(Array.from({ length: 500 }, (_, i) => [i, { row: i }]));
export default class Registry { constructor() { this.items = []; } add(x) { this.items.push(x); return this; } }`,
      'esm-lazy.mjs': `export const lazy = { loadedAt: import.meta.url, data: Array.from({ length: 300 }, (_, i) => 'lazy' + i) };`,
    },
    source: `import v8 from 'node:v8';
import Registry, { bump, table } from './esm-lib.mjs';
const reg = new Registry();
for (let i = 0; i < 1000; i++) reg.add({ i, n: bump(), row: table.get(i % 500) });
const { lazy } = await import('./esm-lazy.mjs');
await new Promise((r) => setTimeout(r, 10));
globalThis.kept = { reg, lazy, meta: import.meta };
v8.writeHeapSnapshot(process.argv[process.argv.length - 1]);`,
  },
  {
    // 100k+ closures, and every weak kind: WeakMap, WeakSet, WeakRef, FinalizationRegistry.
    name: 'closures-weak',
    source: `'use strict';
const v8 = require('v8');
// 100k closures over one shared context, 10k with a context each
const fns = []; const shared = { n: 0 };
for (var i = 0; i < 100000; i++) fns.push(function () { return shared.n; });
const own = (cell) => () => cell.j;
for (var j = 0; j < 10000; j++) fns.push(own({ j }));
const map = new Map(); const set = new Set(); const wm = new WeakMap(); const ws = new WeakSet();
const refs = []; const registry = new FinalizationRegistry(() => {});
for (let i = 0; i < 5000; i++) {
  map.set('k' + i, fns[i]);
  set.add(fns[i + 100000]);
  const key = i % 3 ? fns[i + 101000] : { onlyWeak: i };
  wm.set(key, { value: i, back: key });
  if (i % 4 === 0) ws.add(fns[i + 102000]);
  refs.push(new WeakRef(i % 2 ? fns[i + 103000] : { gone: i }));
  registry.register(fns[i + 104000], { held: i }, i % 5 ? fns[i + 104000] : undefined);
}
// ephemeron chain: each value is the next key, the first key held strongly
const chainMap = new WeakMap(); let k = { head: true }; const head = k;
for (let i = 0; i < 500; i++) { const next = { link: i }; chainMap.set(k, next); k = next; }
globalThis.kept = { fns, map, set, wm, ws, refs, registry, chainMap, head };
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // Several native contexts: vm contexts hold their own globals (ContextifyScript & co.).
    name: 'vm-contexts',
    source: `'use strict';
const v8 = require('v8'); const vm = require('vm');
const contexts = [];
for (let i = 0; i < 6; i++) {
  const sandbox = { out: [], i };
  vm.createContext(sandbox);
  new vm.Script('for (let j = 0; j < 200; j++) out.push({ j, f: () => j + i }); var inner = { ctx: i };', { filename: 'ctx' + i + '.js' }).runInContext(sandbox);
  contexts.push(sandbox);
}
globalThis.scripts = [new vm.Script('1 + 1'), new vm.Script('function f() { return 2; }')];
globalThis.contexts = contexts;
globalThis.fromNew = vm.runInNewContext('({ made: [1, 2, 3], fn() {} })');
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // A live HTTP exchange: the snapshot is written inside the request handler while the
    // socket, parser and timers are all in use.
    name: 'http-in-handler',
    source: `'use strict';
const v8 = require('v8'); const http = require('http');
const sessions = new Map();
const server = http.createServer((req, res) => {
  sessions.set(req.url, { headers: req.headers, started: Date.now(), body: 'x'.repeat(2000) });
  v8.writeHeapSnapshot(${OUT});
  res.end('ok', () => server.close(() => process.exit(0)));
});
server.listen(0, '127.0.0.1', () => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: '127.0.0.1', port: server.address().port, path: '/session/1', agent }, (res) => res.resume());
});`,
  },
  {
    // Native handles in flight: a zlib stream mid-pipeline, crypto objects, a file stream.
    name: 'streams-crypto',
    source: `'use strict';
const v8 = require('v8'); const fs = require('fs'); const zlib = require('zlib'); const crypto = require('crypto');
const { PassThrough } = require('stream');
const src = new PassThrough(); const gz = zlib.createGzip(); const chunks = [];
src.pipe(gz).on('data', (c) => chunks.push(c));
for (let i = 0; i < 200; i++) src.write('line ' + i + ' ' + 'z'.repeat(100) + '\\n');
const hash = crypto.createHash('sha256').update('abc');
const key = crypto.generateKeySync('hmac', { length: 256 });
const file = fs.createReadStream(__filename);
setTimeout(() => { globalThis.kept = { src, gz, chunks, hash, key, file }; v8.writeHeapSnapshot(${OUT}); process.exit(0); }, 30);`,
  },
  {
    // Errors with captured stacks and causes, an AggregateError, a rejection kept unhandled.
    name: 'errors',
    source: `'use strict';
const v8 = require('v8');
class AppError extends Error { constructor(msg, cause) { super(msg, { cause }); this.code = 'E_APP'; } }
const errors = [];
function fail(depth) { if (depth === 0) return new AppError('deep', new TypeError('root cause')); return fail(depth - 1); }
for (let i = 0; i < 300; i++) { const e = fail(i % 20); e.stack; errors.push(e); }
const agg = new AggregateError(errors.slice(0, 10), 'many');
const captured = {}; Error.captureStackTrace(captured);
process.on('unhandledRejection', () => {});
const rejected = Promise.reject(new RangeError('kept rejected'));
globalThis.kept = { errors, agg, captured, rejected };
setTimeout(() => v8.writeHeapSnapshot(${OUT}), 5);`,
  },
  {
    // Every string representation: external (a large latin1 buffer decode), cons, sliced,
    // two-byte, internalized, and thin strings from property keys built at run time.
    name: 'strings',
    source: `'use strict';
const v8 = require('v8');
const big = Buffer.alloc(2 * 1024 * 1024, 'a').toString('latin1');
const big16 = Buffer.from('ü'.repeat(600000), 'utf16le').toString('utf16le');
let cons = ''; for (let i = 0; i < 500; i++) cons += 'part' + i;
const slices = Array.from({ length: 200 }, (_, i) => big.slice(i, i + 40 + i));
const keyed = {}; for (let i = 0; i < 300; i++) keyed['key_' + i.toString(36)] = i;
const two = Array.from({ length: 300 }, (_, i) => '日本語' + i);
globalThis.kept = { big, big16, cons, slices, keyed, two, sym: Symbol('desc-' + cons.length) };
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // Classes: deep hierarchies, statics, private methods, accessors, mixins, null prototypes,
    // dictionary-mode prototypes, frozen and sealed objects.
    name: 'classes',
    source: `'use strict';
const v8 = require('v8');
class Base { static count = 0; #id; constructor() { this.#id = Base.count++; } get id() { return this.#id; } #hidden() { return 1; } }
const Mixin = (S) => class extends S { mixed() { return true; } };
let C = Base; const chain = [];
for (let i = 0; i < 12; i++) { C = class extends Mixin(C) { ['m' + i]() { return i; } }; chain.push(C); }
const instances = Array.from({ length: 2000 }, () => new C());
const bare = Object.create(null); bare.a = 1;
const proto = { shared: true }; for (let i = 0; i < 100; i++) proto['p' + i] = i; for (let i = 0; i < 50; i++) delete proto['p' + i];
const kids = Array.from({ length: 300 }, () => Object.create(proto));
globalThis.kept = { chain, instances, bare, kids, frozen: Object.freeze({ f: [1] }), sealed: Object.seal({ s: 2 }) };
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // Element kinds and buffers: typed arrays of every type, shared and resizable buffers,
    // a detached buffer, holey, double, dictionary and frozen arrays.
    name: 'arrays-buffers',
    source: `'use strict';
const v8 = require('v8');
const kinds = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
const typed = kinds.map((K, i) => new K(64 + i));
const shared = new SharedArrayBuffer(4096); Atomics.add(new Int32Array(shared), 0, 1);
const detached = new ArrayBuffer(128); structuredClone(detached, { transfer: [detached] });
const holey = [1, , 3, , 5]; const doubles = [1.1, 2.2, 3.3]; const dict = []; dict[1e6] = 1;
const smis = Array.from({ length: 50000 }, (_, i) => i);
globalThis.kept = { typed, shared, detached, holey, doubles, dict, smis, view: new DataView(new ArrayBuffer(64)), buf: Buffer.allocUnsafe(10000) };
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // A real npm package's module graph (acorn, a dependency of Heap Lens) and the AST it builds
    // of another one (acorn-walk).
    name: 'npm-acorn',
    source: `'use strict';
const v8 = require('v8'); const path = require('path');
const acorn = require(require.resolve('acorn', { paths: [process.env.HEAPLENS_REPO] }));
const walkFile = require.resolve('acorn-walk', { paths: [process.env.HEAPLENS_REPO] });
const ast = acorn.parse(require('fs').readFileSync(walkFile, 'utf8'), { ecmaVersion: 'latest', locations: true });
globalThis.kept = { ast, acorn, dir: path.dirname(__filename) };
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // No JIT, and a forced full GC right before the snapshot.
    name: 'jitless-gc',
    flags: ['--jitless', '--expose-gc'],
    source: `'use strict';
const v8 = require('v8');
let garbage = Array.from({ length: 20000 }, (_, i) => ({ i })); garbage = null;
globalThis.kept = Array.from({ length: 3000 }, (_, i) => [i, String(i), { i }]);
global.gc();
v8.writeHeapSnapshot(${OUT});`,
  },
  {
    // Async machinery: AsyncLocalStorage, async hooks, pending immediates, microtasks,
    // an async generator suspended mid-iteration and a MessageChannel with queued messages.
    name: 'async-machinery',
    source: `'use strict';
const v8 = require('v8'); const { AsyncLocalStorage, createHook } = require('async_hooks');
const als = new AsyncLocalStorage(); const seen = new Map();
createHook({ init(id, type) { if (seen.size < 1000) seen.set(id, type); } }).enable();
async function* ticker() { let i = 0; for (;;) { yield { tick: i++ }; await new Promise((r) => setTimeout(r, 1e6)); } }
const it = ticker();
const { port1, port2 } = new MessageChannel(); for (let i = 0; i < 50; i++) port1.postMessage({ i, data: [i] });
als.run({ request: 'abc', user: { name: 'u' } }, async () => {
  await it.next(); it.next();
  setImmediate(() => {});
  globalThis.kept = { als, seen, it, port1, port2, store: als.getStore() };
  queueMicrotask(() => { v8.writeHeapSnapshot(${OUT}); port1.close(); process.exit(0); });
});`,
  },
];
