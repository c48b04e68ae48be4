// The snapshot workbench on the command line: suspects, dominators, attribution, waste,
// redact. Each reads one snapshot file (two for compare) and prints text or --json.

import path from 'node:path';
import { loadSnapshotFile } from '../core/load';
import { HeapAnalysis } from '../core/graph/analysis';
import { analyzeParallel } from '../core/graph/parallel';
import { classTable, clean, formatBytes, formatCount, table } from '../core/format';
import { className } from '../core/describe';
import { summarizeByLocation } from '../core/workbench/summary';
import { attribute } from '../core/workbench/attribution';
import { findWaste } from '../core/workbench/waste';
import { redactSnapshot } from '../core/workbench/redact';
import { compareSnapshots } from '../core/workbench/compare';
import { MergedPathNode, mergePaths } from '../core/workbench/merged';
import { ClassKeys } from '../core/workbench/classKeys';
import { findSuspects } from '../core/workbench/suspects';
import { DominatorRow, DominatorTree } from '../core/workbench/dominatorTree';
import { AnalysedSnapshot } from '../core/analysedSnapshot';
import { ParsedArgs, UsageError } from './args';
import { differentProcesses } from './snapshotCommands';

async function load(file: string): Promise<HeapAnalysis> {
  return analyzeParallel(await loadSnapshotFile(file));
}

function print(s: string): void {
  process.stdout.write(s + '\n');
}

export async function suspectsCommand(args: ParsedArgs): Promise<number> {
  const a = await load(args.file('snapshot file'));
  const suspects = findSuspects(a, { limit: args.int('top') });
  if (args.flag('json')) {
    print(JSON.stringify({ suspects }, null, 2));
    return 0;
  }
  if (suspects.length === 0) {
    print(
      'No leak suspects: no container holds many objects of one class, and no object keeps a large share of the heap.',
    );
    return 0;
  }
  suspects.forEach((s, i) => {
    print(`${i + 1}. ${clean(s.sentence, 400)}`);
    print(
      `   ${s.kind === 'accumulation' ? 'container' : 'object'}: ${clean(s.name, 80)} @${s.id}, retains ${formatBytes(s.retainedSize)}`,
    );
    const top = s.allocationStack?.[0];
    if (top)
      print(
        `   allocated in ${clean(top.functionName || '(anonymous)', 80)} (${clean(top.script, 200)}:${top.line})`,
      );
    print(`   retained through: ${clean(s.foldedPath, 400)}`);
    print('');
  });
  return 0;
}

export async function dominatorsCommand(args: ParsedArgs): Promise<number> {
  const a = await load(args.file('snapshot file'));
  const tree = new DominatorTree(a, ClassKeys.of(a));
  const session = new AnalysedSnapshot(a);
  const id = args.optionalInt('id');
  const depth = args.int('depth');
  const row = tree.query({ id, depth, limit: args.int('top') }, (x) => session.ordinalOf(x));
  if (!row) {
    process.stderr.write(`heaplens: no object with id ${id} in this snapshot\n`);
    return 1;
  }
  if (args.flag('json')) {
    print(JSON.stringify(row, null, 2));
    return 0;
  }
  const lines: string[] = [];
  const draw = (r: DominatorRow, indent: number): void => {
    const edge = r.edge !== undefined ? `${clean(r.edge, 40)}: ` : '';
    const preview = r.preview !== undefined ? ` "${clean(r.preview, 40)}"` : '';
    lines.push(
      `${'  '.repeat(indent)}${edge}${clean(r.name, 80)}${preview} @${r.id}  ${formatBytes(r.retainedSize)} (${(r.share * 100).toFixed(1)}%)`,
    );
    r.children?.forEach((c) => draw(c, indent + 1));
    if (r.moreChildren) lines.push(`${'  '.repeat(indent + 1)}… ${formatCount(r.moreChildren)} more`);
  };
  draw(row, 0);
  print(lines.join('\n'));
  return 0;
}

/** `summary --locations`: classes split by definition site, plain objects by their properties. */
export async function summaryByLocationCommand(args: ParsedArgs): Promise<number> {
  const a = await load(args.file('snapshot file'));
  const rows = summarizeByLocation(a);
  const limit = args.int('top');
  if (args.flag('json')) {
    print(JSON.stringify({ classes: rows.slice(0, limit) }, null, 2));
    return 0;
  }
  const shown = rows.slice(0, limit);
  print(classTable(shown, (i) => clean(shown[i].label, 80)));
  if (rows.length > limit) print(`… ${rows.length - limit} more classes (--top N)`);
  return 0;
}

export async function attributionCommand(args: ParsedArgs): Promise<number> {
  const by = args.text('by') ?? 'package';
  if (by !== 'package' && by !== 'file') throw new UsageError('--by takes package or file');
  const a = await load(args.file('snapshot file'));
  const result = attribute(a, by);
  const limit = args.int('top');
  if (args.flag('json')) {
    print(JSON.stringify({ ...result, rows: result.rows.slice(0, limit) }, null, 2));
    return 0;
  }
  print(
    `Retained size by ${by} (${result.fromAllocationStacks ? 'from allocation stacks' : 'from where constructors and functions are defined'}); every byte counted once:`,
  );
  print(
    table(
      [by === 'package' ? 'Package' : 'File', 'Retained', 'Share', 'Objects'],
      result.rows
        .slice(0, limit)
        .map((r) => [
          clean(r.name, 100),
          formatBytes(r.retainedSize),
          `${((r.retainedSize / (result.total || 1)) * 100).toFixed(1)}%`,
          formatCount(r.count),
        ]),
      [false, true, true, true],
    ),
  );
  return 0;
}

export async function wasteCommand(args: ParsedArgs): Promise<number> {
  const a = await load(args.file('snapshot file'));
  const w = findWaste(a, { limit: args.int('top') });
  if (args.flag('json')) {
    print(JSON.stringify(w, null, 2));
    return 0;
  }
  print(`About ${formatBytes(w.totalWasted)} could be saved.`);
  print('\nDuplicated strings (same content held many times):');
  print(
    w.duplicateStrings.length === 0
      ? '  none'
      : table(
          ['  String', 'Copies', 'Wasted'],
          w.duplicateStrings.map((d) => [
            `  "${clean(d.preview, 60)}"`,
            formatCount(d.count),
            formatBytes(d.wastedSize),
          ]),
          [false, true, true],
        ),
  );
  print('\nSliced strings keeping a much larger string alive:');
  print(
    w.slicedStrings.length === 0
      ? '  none'
      : w.slicedStrings
          .map(
            (x) =>
              `  slice @${x.id} alone keeps "${clean(x.parentPreview, 40)}" @${x.parentId} (${formatBytes(x.parentSize)})`,
          )
          .join('\n'),
  );
  print('\nEmpty and oversized collections:');
  print(
    w.collections.length === 0
      ? '  none'
      : w.collections
          .map(
            (c) =>
              `  ${formatCount(c.count)} ${c.kind} ${clean(c.className, 40)}${c.count === 1 ? '' : 's'}: ${formatBytes(c.wastedSize)}`,
          )
          .join('\n'),
  );
  print('\nArrays with identical contents:');
  print(
    w.duplicateArrays.length === 0
      ? '  none'
      : w.duplicateArrays
          .map(
            (d) =>
              `  ${formatCount(d.count)} copies of a ${d.length}-element array (e.g. @${d.sampleIds[0]}): ${formatBytes(d.wastedSize)}`,
          )
          .join('\n'),
  );
  return 0;
}

export const REDACT_HELP = `heaplens redact IN OUT [--positions]
Writes a copy of the snapshot IN that can be shared. Only the string table (and, with
--positions, the source positions) is rewritten; everything else is copied byte for byte.
Kept: every node and edge (types, ids, self sizes, targets), so the graph, every retained
size and distance are unchanged; class, constructor and function names; property and
variable names, including the keys of objects used as dictionaries (V8 stores them as
property names); V8's internal names; script URLs; numbers (heap numbers are written as
their value); allocation stacks.
Replaced: the content of every string value (plain, concatenated and sliced strings: Map
keys, object values, script source texts) and every RegExp's source, by "redacted#N", N
being the string's index (equal strings stay equal, different ones stay different).
--positions: also sets every source line and column (closure and constructor locations,
allocation-stack frames) to 0.`;

export async function redactCommand(args: ParsedArgs): Promise<number> {
  const input = args.file('snapshot file');
  const output = args.file('output file');
  if (path.resolve(input) === path.resolve(output))
    throw new UsageError('redact writes a new file: OUT must differ from IN');
  const r = await redactSnapshot(input, output, { positions: args.flag('positions') });
  if (args.flag('json')) print(JSON.stringify(r));
  else
    print(
      `Wrote ${output}: ${formatCount(r.stringsReplaced)} string values replaced, ${formatCount(r.stringsKept)} names kept${args.flag('positions') ? `, ${formatCount(r.positionsCleared)} source positions cleared` : ''}.`,
    );
  return 0;
}

/** `diff A B`: growth by class; `--class X` lists X's new objects with their paths. */
export async function compareCommand(args: ParsedArgs): Promise<number> {
  const before = await load(args.file('first snapshot file'));
  const after = await load(args.file('second snapshot file'));
  const cls = args.text('class');
  const warning = differentProcesses(before, after);
  if (warning) process.stderr.write(`heaplens: warning: ${warning}\n`);
  const c = compareSnapshots(before, after, {
    className: cls,
    maxObjects: args.int('objects'),
    suspects: !args.flag('no-suspects'),
  });
  const limit = args.int('top');
  if (args.flag('json')) {
    print(
      JSON.stringify({ ...(warning ? { warning } : {}), ...c, classes: c.classes.slice(0, limit) }, null, 2),
    );
    return 0;
  }
  print(
    table(
      ['Class', 'Count', 'Δ count', 'New', 'Gone', 'Δ size'],
      c.classes
        .slice(0, limit)
        .map((r) => [
          clean(r.label, 70),
          formatCount(r.countAfter),
          signed(r.countDelta),
          formatCount(r.added),
          formatCount(r.removed),
          (r.sizeDelta >= 0 ? '+' : '-') + formatBytes(Math.abs(r.sizeDelta)),
        ]),
      [false, true, true, true, true, true],
    ),
  );
  if (c.newObjects) {
    print(
      `\n${formatCount(c.newObjects.total)} new ${clean(c.newObjects.className, 60)} objects${c.newObjects.total > c.newObjects.objects.length ? `, the ${c.newObjects.objects.length} largest` : ''}:`,
    );
    for (const o of c.newObjects.objects)
      print(`  @${o.id} ${formatBytes(o.retainedSize)}: ${clean(o.foldedPath, 300)}`);
  }
  if (c.growthSuspects.length > 0) {
    print('\nWhere the growth accumulates:');
    c.growthSuspects.forEach((s, i) =>
      print(`${i + 1}. ${clean(s.sentence, 400)}\n   retained through: ${clean(s.foldedPath, 300)}`),
    );
  }
  return 0;
}

function signed(n: number): string {
  return (n > 0 ? '+' : '') + formatCount(n);
}

/** `retainers FILE --class X --merged`: every member's shortest path, merged with counts. */
export async function mergedRetainersCommand(args: ParsedArgs): Promise<number> {
  const cls = args.text('class');
  if (cls === undefined) throw new UsageError('--merged needs --class NAME');
  const a = await load(args.file('snapshot file'));
  const keys = ClassKeys.of(a);
  const targets: number[] = [];
  for (let i = 0; i < a.snapshot.nodeCount; i++) {
    if (!a.selfSize[i]) continue;
    const g = keys.groupOf(i);
    if (keys.groups[g].name === cls || keys.label(g) === cls || className(a, i) === cls) targets.push(i);
  }
  if (targets.length === 0) {
    process.stderr.write(`heaplens: no object of class ${clean(cls)} in this snapshot\n`);
    return 1;
  }
  const merged = mergePaths(a, targets);
  if (args.flag('json')) {
    print(JSON.stringify(merged, null, 2));
    return 0;
  }
  print(
    `${formatCount(targets.length)} ${clean(cls, 60)} objects, shortest paths merged${merged.unreachable ? ` (${formatCount(merged.unreachable)} unreachable)` : ''}:`,
  );
  const lines: string[] = [];
  const maxDepth = args.int('depth');
  const draw = (n: MergedPathNode, depth: number): void => {
    const via = n.edge === null ? '' : `${clean(n.edge, 50)} → `;
    lines.push(`${'  '.repeat(depth)}${via}${clean(n.node, 60)}  ×${formatCount(n.count)}`);
    if (depth < maxDepth) n.children.slice(0, 10).forEach((c) => draw(c, depth + 1));
    if (n.children.length > 10)
      lines.push(`${'  '.repeat(depth + 1)}… ${n.children.length - 10} more branches`);
  };
  if (merged.root) draw(merged.root, 0);
  print(lines.join('\n'));
  return 0;
}
