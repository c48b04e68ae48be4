// The workbench on real snapshots of programs written for each check: the CLI as a person
// runs it, and the DevTools worker as the oracle for the redacted copy.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, REPO, tempDir } from '../helpers/snapshots';

// Beside the sources, not found by walking up to a package.json: tsc may copy one into out/.
const devtoolsOracle = path.join(REPO, 'test', 'oracles', 'devtools-oracle.mjs');
import { compareDumps } from './helpers/anchors';
import { loadSnapshotFile } from '../../src/core/load';
import { analyze } from '../../src/core/graph/analysis';

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json<T>(...args: string[]): T {
  const r = run(...args, '--json');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as T;
}

/** Writes `files` (path → source) into a fresh folder, runs `main`, returns the folder. */
function program(name: string, files: Record<string, string>, main = 'main.js'): string {
  const dir = path.join(tempDir(), name);
  for (const [file, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), body);
  }
  execFileSync(process.execPath, [path.join(dir, main)], { cwd: dir, stdio: 'pipe', timeout: 120_000 });
  return dir;
}

const WRITE = (file: string): string =>
  `require('v8').writeHeapSnapshot(require('path').join(__dirname, ${JSON.stringify(file)}));\n`;

interface SuspectJson {
  kind: string;
  name: string;
  sentence: string;
  members?: { name: string; count: number };
  retainerPath: { edge: string | null; node: string }[];
}

test('suspects: 200,000 objects in a module-level Map are named with the Map’s variable and module', () => {
  const dir = program('catalogue', {
    'catalogue.js': `class Product { constructor(i) { this.sku = 'sku-' + i; this.price = i * 3; } }
const catalogue = new Map();
function load(n) { for (let i = 0; i < n; i++) catalogue.set(i, new Product(i)); }
module.exports = { load, lookup: (i) => catalogue.get(i) };\n`,
    'main.js': `require('./catalogue').load(200000);\n${WRITE('cat.heapsnapshot')}`,
    'plain.js': WRITE('plain.heapsnapshot'),
  });
  const { suspects } = json<{ suspects: SuspectJson[] }>('suspects', path.join(dir, 'cat.heapsnapshot'));
  const top = suspects[0];
  assert.equal(top.kind, 'accumulation');
  assert.equal(top.name, 'Map');
  assert.equal(top.members?.name, 'Product');
  assert.equal(top.members?.count, 200000);
  assert.match(
    top.sentence,
    /^200,000 Product objects \([\d.]+ MB, \d+% of the heap\) accumulate in the Map `catalogue`, a variable of module catalogue\.js\.$/,
  );
  assert.equal(top.retainerPath.at(-1)?.edge, 'catalogue');
  const text = run('suspects', path.join(dir, 'cat.heapsnapshot'));
  assert.match(text.out, /retained through: \(GC roots\) → … → .*catalogue → Map/);
  // A program that keeps nothing: Node's own registries and caches are not suspects.
  execFileSync(process.execPath, [path.join(dir, 'plain.js')]);
  assert.deepEqual(
    json<{ suspects: SuspectJson[] }>('suspects', path.join(dir, 'plain.heapsnapshot')).suspects,
    [],
  );
});

test('summary --locations: two same-named classes from two files are two rows; plain objects by property list', () => {
  const dir = program('configs', {
    'a.js': 'class Config { constructor() { this.a = 1; } }\nmodule.exports = Config;\n',
    'b.js': '\n\nclass Config { constructor() { this.b = 2; } }\nmodule.exports = Config;\n',
    'main.js': `const A = require('./a'); const B = require('./b');
globalThis.keep = [...Array.from({ length: 30 }, () => new A()), ...Array.from({ length: 20 }, () => new B())];
globalThis.cached = Array.from({ length: 25 }, (_, i) => ({ url: '/u' + i, body: 'b' + i, storedAt: i }));
function handler() { return 1; }
globalThis.handlers = Array.from({ length: 7 }, () => handler.bind(null));
${WRITE('configs.heapsnapshot')}`,
  });
  const { classes } = json<{
    classes: {
      name: string;
      label: string;
      count: number;
      location: { script: string; line: number } | null;
    }[];
  }>('summary', path.join(dir, 'configs.heapsnapshot'), '--locations', '--top', '100000');
  const configs = classes.filter((c) => c.name === 'Config');
  assert.equal(configs.length, 2, JSON.stringify(configs));
  const bySite = Object.fromEntries(configs.map((c) => [path.basename(c.location!.script), c]));
  assert.equal(bySite['a.js'].count, 30);
  assert.equal(bySite['b.js'].count, 20);
  assert.equal(bySite['b.js'].location!.line, 2, '0-based line of the class in b.js');
  assert.match(bySite['a.js'].label, /^Config \(a\.js:1:\d+\)$/);
  // The constructors are rows of their own, not members of their instances' rows.
  assert.equal(classes.filter((c) => c.name === 'Config()').length, 2);
  // 25 objects and the literal's boilerplate, which V8 keeps to clone them from.
  const plain = classes.find((c) => c.name === '{url, body, storedAt}')?.count ?? 0;
  assert.ok(plain === 25 || plain === 26, String(plain));
});

test('attribution: a package’s objects are charged to the package, every byte once', () => {
  const dir = program('attribution', {
    'node_modules/fakecache/index.js': `class CacheEntry { constructor(k) { this.key = k; this.payload = new Array(64).fill(k); } }
const entries = [];
exports.put = (k) => { entries.push(new CacheEntry(k)); };\n`,
    'main.js': `const cache = require('fakecache');
for (let i = 0; i < 5000; i++) cache.put(i);
class Mine { constructor() { this.x = new Array(16).fill(1); } }
globalThis.mine = Array.from({ length: 300 }, () => new Mine());
${WRITE('attr.heapsnapshot')}`,
  });
  const file = path.join(dir, 'attr.heapsnapshot');
  const byPackage = json<{ total: number; rows: { name: string; retainedSize: number; count: number }[] }>(
    'attribution',
    file,
    '--by',
    'package',
    '--top',
    '1000',
  );
  const pkg = byPackage.rows.find((r) => r.name === 'fakecache');
  assert.ok(pkg, JSON.stringify(byPackage.rows.slice(0, 8)));
  // 5,000 entries of 64-slot arrays: at least 5,000 × (entry + 64 × 8 bytes).
  assert.ok(pkg.retainedSize > 5000 * 64 * 8, String(pkg.retainedSize));
  assert.ok(pkg.count >= 5000);
  assert.ok(byPackage.rows.find((r) => r.name === '(app)')!.retainedSize > 300 * 16 * 8);
  assert.equal(
    byPackage.rows.reduce((t, r) => t + r.retainedSize, 0),
    byPackage.total,
  );
  const byFile = json<{ rows: { name: string; retainedSize: number }[] }>(
    'attribution',
    file,
    '--by',
    'file',
    '--top',
    '1000',
  );
  assert.equal(
    byFile.rows.find((r) => r.name.endsWith(path.join('node_modules', 'fakecache', 'index.js')))
      ?.retainedSize,
    pkg.retainedSize,
  );
});

test('diff: lists exactly the objects a program added between two snapshots, and where they accumulate', async () => {
  const dir = program('compare', {
    'main.js': `class Order { constructor(i, batch) { this.i = i; this.batch = batch; } }
const orders = [];
for (let i = 0; i < 400; i++) orders.push(new Order(i, 'first'));
${WRITE('a.heapsnapshot')}
orders.splice(0, 100);
for (let i = 0; i < 300; i++) orders.push(new Order(i, 'second'));
globalThis.keep = orders;
${WRITE('b.heapsnapshot')}`,
  });
  const a = path.join(dir, 'a.heapsnapshot');
  const b = path.join(dir, 'b.heapsnapshot');
  const c = json<{
    classes: { name: string; added: number; removed: number; countDelta: number }[];
    newObjects: { total: number; objects: { id: number; retainerPath: { edge: string | null }[] }[] };
    growthSuspects: SuspectJson[];
  }>('diff', a, b, '--class', 'Order', '--objects', '1000');
  const order = c.classes.find((r) => r.name === 'Order')!;
  assert.deepEqual([order.added, order.removed, order.countDelta], [300, 100, 200]);
  // The truth, read from the later heap itself: the Orders whose batch is 'second'.
  const after = analyze(await loadSnapshotFile(b));
  const s = after.snapshot;
  const second = new Set<number>();
  for (let n = 0; n < s.nodeCount; n++) {
    if (s.nodeNameString(n) !== 'Order') continue;
    for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
      if (s.edgeNameString(e) === 'batch' && s.nodeNameString(s.edgeTarget[e]) === 'second')
        second.add(s.nodeId[n]);
    }
  }
  assert.equal(second.size, 300);
  assert.deepEqual(new Set(c.newObjects.objects.map((o) => o.id)), second);
  assert.equal(c.newObjects.total, 300);
  assert.ok(c.newObjects.objects.every((o) => o.retainerPath.at(-2)?.edge === 'keep'));
  assert.equal(c.growthSuspects[0]?.members?.name, 'Order');
  assert.equal(c.growthSuspects[0]?.members?.count, 300);
});

test('waste: a string duplicated 10,000 times', () => {
  const dir = program('waste', {
    'main.js': `globalThis.copies = Array.from({ length: 10000 }, () => Buffer.from('duplicated-value-0123456789').toString());
const base = 'L'.repeat(100000) + Math.random();
globalThis.slice = base.slice(5, 40);
${WRITE('waste.heapsnapshot')}`,
  });
  const w = json<{
    duplicateStrings: { preview: string; count: number; wastedSize: number }[];
    slicedStrings: { parentPreview: string; parentSize: number }[];
  }>('waste', path.join(dir, 'waste.heapsnapshot'));
  const dup = w.duplicateStrings.find((d) => d.preview === 'duplicated-value-0123456789');
  assert.ok(dup, JSON.stringify(w.duplicateStrings.slice(0, 3)));
  // The 10,000 copies, and the literal itself in the script's constant pool.
  assert.ok(dup.count >= 10000 && dup.count <= 10001, String(dup.count));
  assert.ok(dup.wastedSize >= 9999 * 24);
  assert.equal(w.duplicateStrings[0].preview, 'duplicated-value-0123456789', 'the biggest waste comes first');
  assert.ok(
    w.slicedStrings.some((x) => x.parentPreview.startsWith('LLLL') && x.parentSize >= 100000),
    JSON.stringify(w.slicedStrings),
  );
});

test('redact: loads in Heap Lens and in DevTools’ worker with every retained size equal, the secret gone', async () => {
  const secret = 'hunter2-PLANTED-secret-value';
  const dir = program('redact', {
    'main.js': `class Session { constructor(i) { this.user = 'user' + i + '@example.com'; this.token = Buffer.from(${JSON.stringify(secret)}).toString() + i; } }
globalThis.sessions = new Map(Array.from({ length: 500 }, (_, i) => [Buffer.from(${JSON.stringify(secret)}).toString() + '-key' + i, new Session(i)]));
globalThis.plain = Buffer.from(${JSON.stringify(secret)}).toString();
${WRITE('orig.heapsnapshot')}`,
  });
  const orig = path.join(dir, 'orig.heapsnapshot');
  const red = path.join(dir, 'red.heapsnapshot');
  assert.ok(fs.readFileSync(orig, 'latin1').includes(secret));
  const r = run('redact', orig, red, '--positions');
  assert.equal(r.code, 0, r.err);
  assert.ok(!fs.readFileSync(red, 'latin1').includes('hunter2'), 'no trace of the planted secret');
  const dump = (file: string, out: string): string => {
    const x = run('nodes', file, '--tsv', out);
    assert.equal(x.code, 0, x.err);
    return fs.readFileSync(out, 'utf8');
  };
  const hlOrig = path.join(dir, 'orig.tsv');
  assert.equal(
    dump(red, path.join(dir, 'red.tsv')),
    dump(orig, hlOrig),
    'Heap Lens: every node’s sizes and distance unchanged',
  );
  const dtTsv = path.join(dir, 'devtools-red.tsv');
  const dt = spawnSync(
    process.execPath,
    ['--max-old-space-size=4096', devtoolsOracle, red, '--dump', dtTsv],
    { encoding: 'utf8', timeout: 150_000 },
  );
  assert.equal(dt.status, 0, dt.stderr);
  assert.equal(
    compareDumps(hlOrig, dtTsv, 5),
    null,
    'DevTools on the redacted copy agrees with the original',
  );
  // Names stay: the class and its property names are still there.
  const { classes } = json<{ classes: { name: string; count: number }[] }>('summary', red, '--top', '100000');
  assert.equal(classes.find((c) => c.name === 'Session')?.count, 500);
  const text = fs.readFileSync(red, 'utf8');
  assert.ok(text.includes('"token"') && text.includes('"user"'));
  assert.ok(run('redact', '--help').out.includes('Replaced: the content of every string value'));
});

test('retainers --merged: every object’s path in one tree with counts', () => {
  const dir = program('merged', {
    'main.js': `class Job { constructor(i) { this.i = i; } }
globalThis.queue = Array.from({ length: 120 }, (_, i) => new Job(i));
globalThis.done = new Set(Array.from({ length: 30 }, (_, i) => new Job(1000 + i)));
${WRITE('merged.heapsnapshot')}`,
  });
  const m = json<{ targets: number; root: { count: number; children: unknown[] } }>(
    'retainers',
    path.join(dir, 'merged.heapsnapshot'),
    '--class',
    'Job',
    '--merged',
  );
  assert.equal(m.targets, 150);
  assert.equal(m.root.count, 150);
  const text = run('retainers', path.join(dir, 'merged.heapsnapshot'), '--class', 'Job', '--merged').out;
  assert.match(text, /\.queue → Array {2}×120/);
  assert.match(text, /\.done → Set {2}×30/);
});

test('dominators: the tree from the root and from one object', () => {
  const dir = program('dominators', {
    'main.js': `class Holder { constructor() { this.items = Array.from({ length: 1000 }, (_, i) => ({ i })); } }
globalThis.holder = new Holder();
${WRITE('dom.heapsnapshot')}`,
  });
  const file = path.join(dir, 'dom.heapsnapshot');
  const root = json<{ name: string; children: { retainedSize: number }[] }>(
    'dominators',
    file,
    '--depth',
    '1',
  );
  assert.equal(root.name, '(GC roots)');
  const sizes = root.children.map((c) => c.retainedSize);
  assert.deepEqual(
    sizes,
    [...sizes].sort((x, y) => y - x),
  );
  const holderId = Number(/Holder @(\d+)/.exec(run('retainers', file, '--class', 'Holder').out)![1]);
  const holder = json<{
    name: string;
    children: { edge: string; name: string; children: { name: string }[]; moreChildren?: number }[];
  }>('dominators', file, '--id', String(holderId), '--depth', '3', '--top', '5');
  assert.match(holder.name, /^Holder \(main\.js:1:\d+\)$/);
  assert.equal(holder.children[0].edge, 'items');
  assert.equal(run('dominators', file, '--id', '1234567890').code, 1);
});

test('suspects: with allocation tracking, a suspect carries the allocation stack of its members', () => {
  const dir = program('tracked', {
    'catalogue.js': `class Product { constructor(i) { this.sku = 'sku-' + i; this.price = i * 3; } }
const catalogue = new Map();
function load(n) { for (let i = 0; i < n; i++) catalogue.set(i, new Product(i)); }
module.exports = { load };\n`,
    // The program takes its own snapshot through the inspector, tracking allocations.
    'main.js': `const inspector = require('inspector'); const fs = require('fs');
const session = new inspector.Session(); session.connect();
const post = (m, p) => new Promise((ok, ko) => session.post(m, p, (e, r) => (e ? ko(e) : ok(r))));
(async () => {
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
  require('./catalogue').load(5000);
  const fd = fs.openSync(require('path').join(__dirname, 'tracked.heapsnapshot'), 'w');
  session.on('HeapProfiler.addHeapSnapshotChunk', (m) => fs.writeSync(fd, m.params.chunk));
  await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  fs.closeSync(fd);
  session.disconnect();
})();\n`,
  });
  const { suspects } = json<{
    suspects: (SuspectJson & {
      allocationStack: { functionName: string; script: string; line: number }[] | null;
    })[];
  }>('suspects', path.join(dir, 'tracked.heapsnapshot'));
  const top = suspects[0];
  assert.equal(top.members?.name, 'Product');
  assert.equal(top.members?.count, 5000);
  assert.ok(top.allocationStack, 'an allocation stack');
  assert.ok(top.allocationStack[0].script.endsWith('catalogue.js'), JSON.stringify(top.allocationStack[0]));
  assert.ok(
    ['load', 'Product'].includes(top.allocationStack[0].functionName),
    JSON.stringify(top.allocationStack[0]),
  );
});
