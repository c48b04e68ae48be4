// Random heap graphs for the parity corpus, shaped like a V8 snapshot so that every DevTools
// rule has something to act on: a global object behind a root shortcut, (GC roots) with
// system sub-roots, hidden and array parts (shallow sizes folded into single owners),
// external string data, WeakMap ephemeron pairs named the way V8 names them, weak edges,
// parts reachable only through weak edges, and cycles nothing reaches. Real programs make
// these shapes rarely and in fixed patterns; random ones explore the corners.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { snapshotJson, TestEdge, TestNode } from '../../helpers/graphs';

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const KINDS: Array<[type: string, name: string]> = [
  ['object', 'Item'],
  ['object', 'Object'],
  ['closure', 'fn'],
  ['array', ''],
  ['hidden', 'system / Context'],
  ['string', 'text'],
  ['code', 'code'],
  ['native', 'system / ExternalStringData'],
  ['object', 'Map'],
];
const EDGE_KINDS = ['property', 'element', 'internal', 'hidden', 'context', 'weak'];

/** Writes a random graph of about 1,500 nodes and returns its file. */
export function randomGraphSnapshot(dir: string, seed: number): string {
  const r = rng(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const n = 1200 + pick(600);
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    { type: 'object', name: 'global', size: 40 },
    { type: 'synthetic', name: '(GC roots)', size: 0 },
    { type: 'synthetic', name: '(Handle scope)', size: 0 },
    { type: 'synthetic', name: '(Stack roots)', size: 0 },
  ];
  const first = nodes.length;
  for (let i = first; i < n; i++) {
    const [type, name] = KINDS[pick(KINDS.length)];
    nodes.push({ type, name, size: pick(5) === 0 ? 0 : 8 + pick(200) });
  }
  // The last tenth or so is an island: reached, if at all, only through weak edges.
  const island = n - 60 - pick(100);
  const edges: TestEdge[] = [
    { from: 0, to: 1, type: 'shortcut', name: 'global' },
    { from: 0, to: 2, type: 'element', name: 1 },
    { from: 2, to: 3, type: 'element', name: 1 },
    { from: 2, to: 4, type: 'element', name: 2 },
  ];
  let names = 0;
  const edge = (from: number, to: number, type: string): void => {
    const named = type !== 'element' && type !== 'hidden';
    edges.push({ from, to, type, name: named ? `p${names++ % 50}` : names++ % 50 });
  };
  for (let i = 0; i < 40; i++) edge(1, first + pick(island - first), 'property');
  for (let i = 0; i < 30; i++) edge(3 + pick(2), first + pick(island - first), 'element');
  const m = n * 3;
  for (let i = 0; i < m; i++) {
    const from = first + pick(n - first);
    const inIsland = from >= island;
    const to = inIsland && r() < 0.8 ? island + pick(n - island) : first + pick(island - first);
    edge(from, to, EDGE_KINDS[pick(EDGE_KINDS.length)]);
  }
  // Weak edges from the reachable part into the island: some of it is reachable only so.
  for (let i = 0; i < 15; i++) edge(first + pick(island - first), island + pick(n - island), 'weak');
  // Ephemerons: table → value and key → value carry the same V8 description.
  for (let i = 0; i < 40; i++) {
    const table = first + pick(island - first);
    const key = first + pick(n - first);
    const value = first + pick(n - first);
    const id = (v: number): number => v * 2 + 1; // snapshotJson's node ids
    const pair = `${i} / part of key (Item @${id(key)}) -> value (Item @${id(value)}) pair in WeakMap (table @${id(table)})`;
    edges.push({ from: table, to: value, type: 'internal', name: pair });
    edges.push({ from: key, to: value, type: 'internal', name: pair });
  }
  const file = path.join(dir, `random${seed}.heapsnapshot`);
  fs.writeFileSync(file, snapshotJson(nodes, edges));
  return file;
}
