// The command table: each command's arguments, help text and body in one entry, so adding a
// command is adding an entry. Arguments are read and checked (args.ts) before a body runs;
// every message that can carry input bytes goes through the sanitiser on its way out.

import { isSnapshotError } from '../core/errors';
import { forTerminal } from '../core/sanitize';
import { CommandSpec, commandHelp, parseCommandArgs, UsageError } from './args';
import { CHECK_USAGE, MCP_USAGE } from './rawUsage';
import { DEFAULTS } from '../contracts/defaults';
import { loadStatsCommand, nodesCommand, retainersCommand, summaryCommand } from './snapshotCommands';
import {
  attributionCommand,
  compareCommand,
  dominatorsCommand,
  mergedRetainersCommand,
  redactCommand,
  REDACT_HELP,
  summaryByLocationCommand,
  suspectsCommand,
  wasteCommand,
} from './workbenchCommands';

const json = { kind: 'flag', help: 'print JSON instead of text' } as const;
const top = (n: number, what = 'classes') =>
  ({ kind: 'int', min: 1, max: 1_000_000, default: n, arg: 'N', help: `how many ${what} to list` }) as const;
const snapshot = { name: 'snapshot file', kind: 'inFile' } as const;

// The hunt, the CI gate and the MCP server are imported when they run (the bundle evaluates a
// dynamically imported module on first use): the inspector, ws, acorn, zod and the MCP SDK
// cost every other command ~25 MB of resident memory and their start-up time.
export const COMMANDS: CommandSpec[] = [
  {
    name: 'find-leaks',
    synopsis: [
      'SCENARIO [--iterations N] [--action-timeout S] [--json OUT]',
      '--attach HOST:PORT (--action EXPR | --request URL) [--iterations N] [--json OUT]',
    ],
    summary:
      'Run a scenario under the inspector (or attach to a process started with --inspect) and hunt its leaks.',
    positionals: [{ name: 'scenario file', kind: 'inFile', optional: true }],
    options: {
      iterations: {
        kind: 'int',
        min: DEFAULTS.minIterations,
        max: DEFAULTS.maxIterations,
        default: DEFAULTS.iterations,
        arg: 'N',
        help: 'how many times the action is repeated (one snapshot at the end)',
      },
      'action-timeout': {
        kind: 'int',
        min: 1,
        max: 3600,
        default: DEFAULTS.iterationTimeoutMs / 1000,
        arg: 'S',
        help: 'seconds one setup, warm-up or action may take before the hunt stops',
      },
      json: { kind: 'outFile', arg: 'OUT', help: 'also write the report as JSON to this file' },
      attach: {
        kind: 'loopbackAddress',
        arg: 'HOST:PORT',
        help: 'hunt in a running `node --inspect` process (loopback only)',
      },
      action: { kind: 'text', arg: 'EXPR', help: 'attach mode: an expression evaluated as one unit of work' },
      request: {
        kind: 'text',
        arg: 'URL',
        help: 'attach mode: a loopback http:// URL requested as one unit of work',
      },
      quiet: { kind: 'flag', help: 'no progress and no scenario output on stderr' },
      'raw-paths': { kind: 'flag', help: 'paths exactly as V8 has them, unfolded' },
    },
    run: async (a) => (await import('./findLeaks')).findLeaksCommand(a),
  },
  {
    name: 'summary',
    synopsis: ['FILE [--locations] [--top N] [--json]'],
    summary:
      'Classes by count, self and retained size; --locations splits them by definition site and names plain objects by property.',
    positionals: [snapshot],
    options: { top: top(40), json, locations: { kind: 'flag', help: 'split classes by definition site' } },
    run: (a) => (a.flag('locations') ? summaryByLocationCommand(a) : summaryCommand(a)),
  },
  {
    name: 'retainers',
    synopsis: [
      'FILE (--id N | --class NAME) [--paths K] [--ignore ID,ID] [--exclude-stack] [--raw-paths] [--json]',
      'FILE --class NAME --merged [--depth D] [--json]',
    ],
    summary:
      "Paths from GC roots to an object, drawn as a chain; --merged: every NAME object's shortest path, merged into one tree with counts.",
    positionals: [snapshot],
    options: {
      id: { kind: 'id', arg: 'N', help: 'the object id (the number after @)' },
      class: { kind: 'text', arg: 'NAME', help: 'or: the member of this class that retains the most' },
      paths: { kind: 'int', min: 1, max: 1000, default: 3, arg: 'K', help: 'how many distinct paths' },
      ignore: { kind: 'ids', arg: 'ID,ID', help: 'the shortest path that avoids these objects' },
      merged: { kind: 'flag', help: 'merge the shortest paths of every NAME object' },
      'exclude-stack': { kind: 'flag', help: 'what keeps it alive once the paused frames return' },
      'raw-paths': { kind: 'flag', help: 'paths exactly as V8 has them, unfolded' },
      depth: {
        kind: 'int',
        min: 1,
        max: 1000,
        default: 30,
        arg: 'D',
        help: 'with --merged: how deep the tree is drawn',
      },
      json,
    },
    run: (a) => (a.flag('merged') ? mergedRetainersCommand(a) : retainersCommand(a)),
  },
  {
    name: 'diff',
    synopsis: ['A B [--class NAME] [--top N] [--json]'],
    summary:
      "Growth by class between two snapshots of one process, and where it accumulates; --class lists NAME's new objects with paths.",
    positionals: [
      { name: 'first snapshot file', kind: 'inFile' },
      { name: 'second snapshot file', kind: 'inFile' },
    ],
    options: {
      top: top(30),
      json,
      class: { kind: 'text', arg: 'NAME', help: 'list the new objects of this class with their paths' },
      objects: {
        kind: 'int',
        min: 1,
        max: 100_000,
        default: 20,
        arg: 'N',
        help: 'with --class: how many objects',
      },
      'no-suspects': { kind: 'flag', help: 'skip looking for where the growth accumulates' },
    },
    run: compareCommand,
  },
  {
    name: 'nodes',
    synopsis: ['FILE --tsv [OUT]'],
    summary: 'node_id, self_size, retained_size, distance per node, tab-separated (to OUT, or stdout).',
    positionals: [
      { name: 'snapshot file', kind: 'inFile' },
      { name: 'output file', kind: 'outFile', optional: true },
    ],
    options: { tsv: { kind: 'flag', help: 'write tab-separated values (the only format)' } },
    run: nodesCommand,
  },
  {
    name: 'load-stats',
    synopsis: ['FILE'],
    summary: "Parse and analysis timings, in the anchors' format.",
    positionals: [{ name: 'snapshot file', kind: 'inFile' }],
    options: {},
    run: loadStatsCommand,
  },
  {
    name: 'suspects',
    synopsis: ['FILE [--top N] [--json]'],
    summary: 'Leak suspects from one snapshot: accumulation points, big dominators.',
    positionals: [snapshot],
    options: { top: top(10, 'suspects'), json },
    run: suspectsCommand,
  },
  {
    name: 'dominators',
    synopsis: ['FILE [--id N] [--depth D] [--top N] [--json]'],
    summary: 'The dominator tree from the root (or object N), children by retained size.',
    positionals: [snapshot],
    options: {
      id: { kind: 'id', arg: 'N', help: 'start from this object instead of the root' },
      depth: { kind: 'int', min: 0, max: 50, default: 2, arg: 'D', help: 'how many levels' },
      top: top(20, 'children per node'),
      json,
    },
    run: dominatorsCommand,
  },
  {
    name: 'attribution',
    synopsis: ['FILE [--by package|file] [--top N] [--json]'],
    summary: 'Retained size by package or file, every byte counted once.',
    positionals: [snapshot],
    options: {
      by: { kind: 'text', arg: 'package|file', help: 'group by npm package (default) or by file' },
      top: top(30, 'rows'),
      json,
    },
    run: attributionCommand,
  },
  {
    name: 'waste',
    synopsis: ['FILE [--top N] [--json]'],
    summary: 'Duplicated strings, sliced strings, empty/oversized collections, duplicated arrays.',
    positionals: [snapshot],
    options: { top: top(10, 'items per kind'), json },
    run: wasteCommand,
  },
  {
    name: 'redact',
    synopsis: ['IN OUT [--positions] [--json]'],
    summary: 'A shareable copy: same graph and sizes, string values replaced.',
    details: REDACT_HELP.split('\n').slice(1).join('\n'),
    positionals: [snapshot, { name: 'output file', kind: 'outFile' }],
    options: { positions: { kind: 'flag', help: 'also clear every source line and column' }, json },
    run: redactCommand,
  },
];

/**
 * Commands that read their own arguments (each with util.parseArgs, in its file) and are
 * listed here with their usage text.
 */
const RAW_COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  check: { run: async (argv) => (await import('./check')).checkCommand(argv), usage: CHECK_USAGE },
  mcp: { run: async (argv) => (await import('./mcp')).mcpCommand(argv), usage: MCP_USAGE },
};

function usage(): string {
  const lines = ['usage: heaplens <command> [options]   (heaplens <command> --help for its options)'];
  for (const c of COMMANDS) {
    lines.push(`  ${c.name} ${c.synopsis[0]}`);
    for (const more of c.synopsis.slice(1)) lines.push(`  ${c.name} ${more}`);
    lines.push(`      ${c.summary}`);
  }
  for (const raw of Object.values(RAW_COMMANDS)) lines.push(raw.usage);
  return lines.join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const raw = name === undefined ? undefined : RAW_COMMANDS[name];
  if (raw) return raw.run(rest);
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`heaplens: unknown command "${forTerminal(name, { max: 80 })}"\n${usage()}\n`);
    return 2;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.flag('help')) {
      process.stdout.write(commandHelp(command) + '\n');
      return 0;
    }
    return await command.run(args);
  } catch (e) {
    if (isSnapshotError(e)) {
      process.stderr.write(`heaplens: cannot read the snapshot: ${forTerminal(e.message)} [${e.code}]\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      const c = e.command ?? command;
      process.stderr.write(
        `heaplens ${c.name}: ${forTerminal(e.message, { multiline: true })}\nusage: ${c.synopsis.map((s) => `heaplens ${c.name} ${s}`).join('\n       ')}\n(heaplens ${c.name} --help for the options)\n`,
      );
      return 2;
    }
    if (isFileError(e)) {
      process.stderr.write(`heaplens: ${forTerminal(e.message)}\n`);
      return 1;
    }
    throw e;
  }
}

function isFileError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    (e as NodeJS.ErrnoException).syscall !== undefined
  );
}
