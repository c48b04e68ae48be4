// Subcommands that read snapshot files: summary, retainers, diff, nodes, load-stats.

import fs from 'node:fs';
import { loadSnapshotFile } from '../core/load';
import { HeapAnalysis, typedArrayBytes } from '../core/graph/analysis';
import { analyzeParallel } from '../core/graph/parallel';
import { diffClasses, summarizeClasses } from '../core/classes';
import { distancesWithoutStack, pauseHold, retainerPathAvoiding, retainerPaths, RetainerPath, trimRoot } from '../core/paths';
import { foldPath } from '../core/leaks/fold';
import { className, edgeLabel, edgeRawName, nodeLabel } from '../core/describe';
import { clean, formatBytes, formatCount, table } from '../core/format';
import { Args, UsageError } from './args';
import { DEFAULTS } from '../contracts/defaults';

async function load(file: string): Promise<HeapAnalysis> {
  return analyzeParallel(await loadSnapshotFile(file));
}

function print(s: string): void {
  process.stdout.write(s + '\n');
}

export async function summaryCommand(args: Args): Promise<number> {
  const a = await load(args.file(0));
  const rows = summarizeClasses(a);
  const limit = args.number('--top', 40);
  if (args.flag('--json')) {
    print(JSON.stringify({ classes: rows.slice(0, limit) }, null, 2));
    return 0;
  }
  print(table(['Class', 'Count', 'Self size', 'Retained size'],
    rows.slice(0, limit).map((r) => [clean(r.name, 60), formatCount(r.count), formatBytes(r.selfSize), formatBytes(r.retainedSize)]),
    [false, true, true, true]));
  if (rows.length > limit) print(`… ${rows.length - limit} more classes (--top N)`);
  return 0;
}

function pathJson(a: HeapAnalysis, p: RetainerPath): { edge: string | null; node: string; id: number }[] {
  return p.nodes.map((n, i) => ({
    edge: i === 0 ? null : edgeRawName(a, p.edges[i - 1]),
    node: nodeLabel(a, n),
    id: a.snapshot.nodeId[n],
  }));
}

/** The path as a person reads it: Node's module registry and closure scopes folded (the default). */
function drawFolded(a: HeapAnalysis, p: RetainerPath): string {
  return foldPath(a, p).map((f, i) => {
    const n = f.last.node;
    const indent = '  '.repeat(i);
    const node = `${clean(nodeLabel(a, n), 60)} @${a.snapshot.nodeId[n]}`;
    if (f.label) return `${indent}${clean(f.label, 100)}${f.kind === 'module' || f.kind === 'global' ? '' : ` → ${node}`}`;
    const via = i === 0 ? '' : `${clean(edgeLabel(a, p.edges[f.to - 1], p.nodes[f.to - 1]), 60)} → `;
    return `${indent}${via}${node}`;
  }).join('\n');
}

function drawPath(a: HeapAnalysis, p: RetainerPath): string {
  return p.nodes.map((n, i) => {
    const indent = '  '.repeat(i);
    const via = i === 0 ? '' : `${clean(edgeLabel(a, p.edges[i - 1], p.nodes[i - 1]), 60)} → `;
    return `${indent}${via}${clean(nodeLabel(a, n), 60)} @${a.snapshot.nodeId[n]}`;
  }).join('\n');
}

export async function retainersCommand(args: Args): Promise<number> {
  const cls = args.value('--class');
  if (cls === undefined && !Number.isInteger(args.number('--id', NaN))) {
    throw new UsageError('retainers needs --id N (an object id) or --class NAME');
  }
  const a = await load(args.file(0));
  const target = cls !== undefined ? largestOfClass(a, cls) : a.snapshot.ordinalOfId(args.number('--id', NaN));
  if (target < 0) {
    process.stderr.write(`heaplens: no object ${cls !== undefined ? `of class ${clean(cls)}` : `with id ${args.value('--id')}`} in this snapshot\n`);
    return 1;
  }
  const id = a.snapshot.nodeId[target];
  const ignored = args.list('--ignore').map((x) => a.snapshot.ordinalOfId(Number(x))).filter((o) => o >= 0);
  // --exclude-stack: what keeps it alive once the paused frames return.
  const excludeStack = args.flag('--exclude-stack');
  const distance = excludeStack ? distancesWithoutStack(a) : a.distance;
  const pause = excludeStack ? pauseHold(a, target, distance) : null;
  const paths = (ignored.length > 0 && !excludeStack
    ? [retainerPathAvoiding(a, target, new Set(ignored))].filter((p): p is RetainerPath => p !== null)
    : retainerPaths(a, target, args.number('--paths', DEFAULTS.retainerPaths), distance)).map((p) => trimRoot(a, p));
  const draw = args.flag('--raw-paths') ? drawPath : drawFolded;
  if (args.flag('--json')) {
    print(JSON.stringify({
      id, name: nodeLabel(a, target), selfSize: a.selfSize[target], retainedSize: a.retainedSize[target],
      distance: a.distance[target], paths: paths.map((p) => pathJson(a, p)),
      foldedPaths: paths.map((p) => foldPath(a, p).map((f) => ({ edge: f.last.via?.name ?? null, node: nodeLabel(a, f.last.node), id: a.snapshot.nodeId[f.last.node], ...(f.label ? { label: f.label } : {}) }))),
      ...(pause ? { pause } : {}),
    }, null, 2));
    return 0;
  }
  print(`${clean(nodeLabel(a, target))} @${id}: self ${formatBytes(a.selfSize[target])}, retained ${formatBytes(a.retainedSize[target])}, distance ${a.distance[target]}`);
  if (pause?.onlyStack) print('Only the running code holds it: it is collected when the paused frames return.');
  else if (paths.length === 0) print('Nothing retains it from a GC root (it is garbage, or held only weakly).');
  else if (pause?.heldByStack) print('The current frame also holds it (stack paths left out; drop --exclude-stack to see them).');
  paths.forEach((p, i) => print(`\nPath ${i + 1} (${p.edges.length} steps):\n${draw(a, p)}`));
  return 0;
}

export async function diffCommand(args: Args): Promise<number> {
  const before = await load(args.file(0));
  const after = await load(args.file(1));
  const rows = diffClasses(before, after);
  const limit = args.number('--top', 30);
  if (args.flag('--json')) {
    print(JSON.stringify({ classes: rows.slice(0, limit) }, null, 2));
    return 0;
  }
  print(table(['Class', 'Count', 'Δ count', 'New', 'Gone', 'Δ size'],
    rows.slice(0, limit).map((r) => [clean(r.name, 60), formatCount(r.countAfter), signed(r.countDelta), formatCount(r.added), formatCount(r.removed), (r.sizeDelta >= 0 ? '+' : '-') + formatBytes(Math.abs(r.sizeDelta))]),
    [false, true, true, true, true, true]));
  return 0;
}

/** The member of a class that retains the most: the one most worth explaining. */
function largestOfClass(a: HeapAnalysis, name: string): number {
  let best = -1;
  for (let i = 0; i < a.snapshot.nodeCount; i++) {
    if (className(a, i) === name && (best < 0 || a.retainedSize[i] > a.retainedSize[best])) best = i;
  }
  return best;
}

function signed(n: number): string {
  return (n > 0 ? '+' : '') + formatCount(n);
}

export async function nodesCommand(args: Args): Promise<number> {
  if (!args.flag('--tsv')) throw new Error('usage: heaplens nodes FILE --tsv [OUT]');
  const a = await load(args.file(0));
  const out = args.value('--tsv');
  const { nodeId } = a.snapshot;
  const fd = out ? fs.openSync(out, 'w') : 1;
  let buf = 'node_id\tself_size\tretained_size\tdistance\n';
  for (let i = 0; i < a.snapshot.nodeCount; i++) {
    buf += `${nodeId[i]}\t${a.selfSize[i]}\t${a.retainedSize[i]}\t${a.distance[i]}\n`;
    if (buf.length > 1 << 22) { fs.writeSync(fd, buf); buf = ''; }
  }
  fs.writeSync(fd, buf);
  if (out) fs.closeSync(fd);
  return 0;
}

export async function loadStatsCommand(args: Args): Promise<number> {
  const t0 = performance.now();
  const snapshot = await loadSnapshotFile(args.file(0));
  const parseMs = performance.now() - t0;
  const a = await analyzeParallel(snapshot);
  const loadMs = performance.now() - t0;
  const rss = process.resourceUsage().maxRSS / 1024;
  let selfSum = 0;
  for (let i = 0; i < snapshot.nodeCount; i++) selfSum += a.selfSize[i];
  const line = (k: string, v: string | number): void => print(`${k.padEnd(19)}${v}`);
  line('parse_ms', parseMs.toFixed(0));
  line('load_ms', loadMs.toFixed(0));
  line('peak_rss_mb', rss.toFixed(0));
  line('arrays_mb', (typedArrayBytes(a) / 1048576).toFixed(0));
  line('node_count', snapshot.nodeCount);
  line('edge_count', snapshot.edgeCount);
  line('total_self_size', selfSum);
  line('root_retained', a.retainedSize[snapshot.rootOrdinal]);
  return 0;
}
