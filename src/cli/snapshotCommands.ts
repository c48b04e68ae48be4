// Subcommands that read snapshot files: summary, retainers, diff, nodes, load-stats.

import fs from 'node:fs';
import { HeapAnalysis, typedArrayBytes } from '../core/graph/analysis';
import { loadAndAnalyze } from '../core/graph/parallel';
import { summarizeClasses } from '../core/classes';
import { retainerPathAvoiding, retainerPaths, RetainerPath, trimRoot } from '../core/paths';
import { PauseView } from '../core/pause';
import { foldPath } from '../core/leaks/fold';
import { className, edgeLabel, edgeRawName, nodeLabel } from '../core/describe';
import { classTable, clean, formatBytes } from '../core/format';
import { ParsedArgs, UsageError } from './args';

async function load(file: string): Promise<HeapAnalysis> {
  return loadAndAnalyze(file);
}

function print(s: string): void {
  process.stdout.write(s + '\n');
}

export async function summaryCommand(args: ParsedArgs): Promise<number> {
  const a = await load(args.file('snapshot file'));
  const rows = summarizeClasses(a);
  const limit = args.int('top');
  if (args.flag('json')) {
    // A class none of whose members is reachable has no distance: -5, as for one node.
    print(
      JSON.stringify(
        {
          classes: rows
            .slice(0, limit)
            .map((r) => ({ ...r, distance: Number.isFinite(r.distance) ? r.distance : UNREACHABLE })),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const shown = rows.slice(0, limit);
  print(classTable(shown, (i) => clean(shown[i].name, 60)));
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
  return foldPath(a, p)
    .map((f, i) => {
      const n = f.last.node;
      const indent = '  '.repeat(i);
      const node = `${clean(nodeLabel(a, n), 60)} @${a.snapshot.nodeId[n]}`;
      if (f.label)
        return `${indent}${clean(f.label, 100)}${f.kind === 'module' || f.kind === 'global' ? '' : ` → ${node}`}`;
      const via = i === 0 ? '' : `${clean(edgeLabel(a, p.edges[f.to - 1], p.nodes[f.to - 1]), 60)} → `;
      return `${indent}${via}${node}`;
    })
    .join('\n');
}

function drawPath(a: HeapAnalysis, p: RetainerPath): string {
  return p.nodes
    .map((n, i) => {
      const indent = '  '.repeat(i);
      const via = i === 0 ? '' : `${clean(edgeLabel(a, p.edges[i - 1], p.nodes[i - 1]), 60)} → `;
      return `${indent}${via}${clean(nodeLabel(a, n), 60)} @${a.snapshot.nodeId[n]}`;
    })
    .join('\n');
}

export async function retainersCommand(args: ParsedArgs): Promise<number> {
  const cls = args.text('class');
  const wanted = args.optionalInt('id');
  if ((cls === undefined) === (wanted === undefined)) {
    throw new UsageError('retainers needs exactly one of --id N (an object id) or --class NAME');
  }
  const a = await load(args.file('snapshot file'));
  const target = cls !== undefined ? largestOfClass(a, cls) : a.snapshot.ordinalOfId(wanted!);
  if (target < 0) {
    process.stderr.write(
      `heaplens: no object ${cls !== undefined ? `of class ${clean(cls)}` : `with id ${wanted}`} in this snapshot\n`,
    );
    return 1;
  }
  const id = a.snapshot.nodeId[target];
  const ignored = args
    .ids('ignore')
    .map((x) => a.snapshot.ordinalOfId(x))
    .filter((o) => o >= 0);
  // --exclude-stack: what keeps it alive once the paused frames return and the debugger lets go.
  const view = args.flag('exclude-stack') ? new PauseView(a) : null;
  const pause = view?.hold(target) ?? null;
  const paths = (
    ignored.length > 0
      ? [
          view ? view.pathAvoiding(target, ignored) : retainerPathAvoiding(a, target, new Set(ignored)),
        ].filter((p): p is RetainerPath => p !== null)
      : view
        ? view.paths(target, args.int('paths'))
        : retainerPaths(a, target, args.int('paths'), a.distance)
  ).map((p) => trimRoot(a, p));
  const draw = args.flag('raw-paths') ? drawPath : drawFolded;
  if (args.flag('json')) {
    print(
      JSON.stringify(
        {
          id,
          name: nodeLabel(a, target),
          selfSize: a.selfSize[target],
          retainedSize: a.retainedSize[target],
          distance: a.distance[target],
          paths: paths.map((p) => pathJson(a, p)),
          foldedPaths: paths.map((p) =>
            foldPath(a, p).map((f) => ({
              edge: f.last.via?.name ?? null,
              node: nodeLabel(a, f.last.node),
              id: a.snapshot.nodeId[f.last.node],
              ...(f.label ? { label: f.label } : {}),
            })),
          ),
          ...(pause ? { pause } : {}),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  print(
    `${clean(nodeLabel(a, target))} @${id}: self ${formatBytes(a.selfSize[target])}, retained ${formatBytes(a.retainedSize[target])}, distance ${a.distance[target]}`,
  );
  if (pause?.onlyStack)
    print(
      'Only the running code holds it: it is collected when the paused frames return (paths through them below).',
    );
  else if (pause?.onlyDebugger)
    print(
      'Only the debugger holds it (the Variables view, the REPL or the console): it is collected when the debugger lets go.',
    );
  else if (paths.length === 0)
    print('Nothing retains it from a GC root (it is garbage, or held only weakly).');
  else if (pause?.heldByStack)
    print('The current frame also holds it (stack paths left out; drop --exclude-stack to see them).');
  paths.forEach((p, i) => print(`\nPath ${i + 1} (${p.edges.length} steps):\n${draw(a, p)}`));
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

const UNREACHABLE = -5;

/**
 * Object ids are handed out per process, in allocation order, and never reused, so an id found
 * in two snapshots of one process names the same object (same type, same name). Two Node
 * processes share the ids of their start-up objects but not of what their programs built, so
 * the test looks at the younger half of the first snapshot's objects: when many of the ids
 * the second snapshot also has name something else there, or the second has no ids that
 * young at all, the table compares unrelated objects. (Two runs of the very same program can
 * hand out the same ids in the same order; those are not told apart.)
 */
export function differentProcesses(before: HeapAnalysis, after: HeapAnalysis): string | undefined {
  const b = before.snapshot;
  const c = after.snapshot;
  if (b.nodeCount < 200 || c.nodeCount < 200) return undefined;
  const ids = Array.from(b.nodeId).sort((x, y) => x - y);
  const median = ids[ids.length >> 1];
  let afterMax = 0;
  for (let j = 0; j < c.nodeCount; j++) if (c.nodeId[j] > afterMax) afterMax = c.nodeId[j];
  const young = ids.length - (ids.length >> 1);
  const step = Math.max(1, Math.floor(young / 5000));
  const sample = new Map<number, number>();
  for (let i = 0, k = 0; i < b.nodeCount; i++)
    if (b.nodeId[i] >= median && k++ % step === 0) sample.set(b.nodeId[i], i);
  let present = 0;
  let other = 0;
  // One pass over the second snapshot (ordinalOfId per sample would be quadratic).
  for (let j = 0; j < c.nodeCount; j++) {
    const i = sample.get(c.nodeId[j]);
    if (i === undefined) continue;
    present++;
    if (c.nodeType[j] !== b.nodeType[i] || c.nodeNameString(j) !== b.nodeNameString(i)) other++;
  }
  const mismatch = present >= 50 && other / present > 0.2;
  if (!mismatch && afterMax >= median) return undefined;
  const why = mismatch
    ? `${Math.round((100 * other) / present)}% of the ids they share name different objects`
    : "the second has no object as young as half of the first's";
  return `these look like snapshots of two different processes (${why}), so the classes compared are unrelated objects`;
}

export async function nodesCommand(args: ParsedArgs): Promise<number> {
  if (!args.flag('tsv')) throw new UsageError('nodes writes tab-separated values only: give --tsv');
  const a = await load(args.file('snapshot file'));
  const out = args.positionals['output file'];
  const { nodeId } = a.snapshot;
  const fd = out ? fs.openSync(out, 'w') : 1;
  let buf = 'node_id\tself_size\tretained_size\tdistance\n';
  for (let i = 0; i < a.snapshot.nodeCount; i++) {
    buf += `${nodeId[i]}\t${a.selfSize[i]}\t${a.retainedSize[i]}\t${a.distance[i]}\n`;
    if (buf.length > 1 << 22) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  if (out) fs.closeSync(fd);
  return 0;
}

export async function loadStatsCommand(args: ParsedArgs): Promise<number> {
  const t0 = performance.now();
  let parseMs = 0;
  const a = await loadAndAnalyze(args.file('snapshot file'), {
    onParsed: () => (parseMs = performance.now() - t0),
  });
  const loadMs = performance.now() - t0;
  const snapshot = a.snapshot;
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
