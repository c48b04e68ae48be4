// Real snapshots for tests: a small Node program runs in a child process and writes its own
// heap with v8.writeHeapSnapshot. Cached per test process, in a temp folder.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

let dir: string | null = null;
export function tempDir(): string {
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-test-'));
    process.on('exit', () => fs.rmSync(dir!, { recursive: true, force: true }));
  }
  return dir;
}

/** A typed array's bytes (none for null): columns are compared byte for byte. */
export const bytesOf = (a: ArrayBufferView | null): Buffer =>
  a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.alloc(0);

/** The columns a parse writes, by their names in HeapSnapshot. */
export const PARSED_COLUMNS = [
  'nodeType',
  'nodeName',
  'nodeId',
  'nodeSelfSize',
  'firstEdge',
  'nodeTraceId',
  'edgeType',
  'edgeNameOrIndex',
  'edgeTarget',
] as const;

const cache = new Map<string, string>();

/** Runs `body` (a CommonJS program) and returns the path of the snapshot it wrote. */
export function snapshotOf(name: string, body: string): string {
  const hit = cache.get(name);
  if (hit) return hit;
  const d = tempDir();
  const program = path.join(d, `${name}.js`);
  const out = path.join(d, `${name}.heapsnapshot`);
  fs.writeFileSync(program, `${body}\nrequire('v8').writeHeapSnapshot(${JSON.stringify(out)});\n`);
  execFileSync(process.execPath, [program], { stdio: 'pipe', timeout: 60_000 });
  cache.set(name, out);
  return out;
}

/** A program with the shapes the engine must handle: classes, closures, collections, odd strings. */
export const SHAPES_PROGRAM = `
class Book { constructor(i) { this.title = 'Book #' + i; this.pages = new Array(20).fill(i); } }
class Shelf { constructor() { this.books = []; } }
globalThis.shelf = new Shelf();
for (let i = 0; i < 200; i++) globalThis.shelf.books.push(new Book(i));
globalThis.byTitle = new Map(globalThis.shelf.books.map((b) => [b.title, b]));
globalThis.seen = new Set(globalThis.shelf.books.slice(0, 50));
const weak = new WeakMap(); const keys = [];
for (let i = 0; i < 30; i++) { const k = { k: i }; keys.push(k); weak.set(k, new Book(1000 + i)); }
globalThis.weakKeys = keys; globalThis.weak = weak;
function makeCounter() { let original = new Book(-1); let count = 0; return () => ++count + original.pages.length; }
globalThis.counter = makeCounter();
globalThis.odd = ['quote " backslash \\\\ tab \\t newline \\n', 'caf\\u00e9 \\u{1F600} \\u2028', 'lone \\ud800 surrogate', 'ctrl \\u0001\\u001f', '<img src=x onerror=alert(1)>'];
globalThis.big = 'x'.repeat(100000);
`;
