import { isSnapshotError } from '../core/errors';
import { Args, FIND_LEAKS_OPTIONS, UsageError } from './args';
import { findLeaksCommand } from './findLeaks';
import { checkCommand, CHECK_USAGE } from './check';
import { mcpCommand, MCP_USAGE } from './mcp';
import {
  attributionCommand, compareCommand, dominatorsCommand, mergedRetainersCommand, redactCommand, REDACT_HELP, summaryByLocationCommand,
  suspectsCommand, wasteCommand,
} from './workbenchCommands';
import { loadStatsCommand, nodesCommand, retainersCommand, summaryCommand } from './snapshotCommands';

const USAGE = `usage: heaplens <command> [options]
  find-leaks SCENARIO [--iterations N] [--json OUT]  run a scenario under the inspector and hunt its leaks
  find-leaks --attach HOST:PORT (--action EXPR | --request URL) [--iterations N] [--json OUT]
                                                   hunt in a process already running with --inspect
                                                   (--raw-paths: paths exactly as V8 has them, unfolded)
  summary FILE [--locations] [--top N] [--json]    classes by count, self and retained size; --locations splits
                                                   them by definition site and names plain objects by property
  retainers FILE --id N [--paths K] [--ignore ID,ID] [--exclude-stack] [--raw-paths] [--json]
                                                   paths from GC roots to the object with id N
  retainers FILE --class NAME --merged [--depth D] [--json]
                                                   every NAME object's shortest path, merged into one tree with counts
  diff A B [--class NAME] [--top N] [--json]       growth by class between two snapshots of one process, where
                                                   it accumulates; --class lists NAME's new objects with paths
  nodes FILE --tsv [OUT]                           node_id, self_size, retained_size, distance per node
  load-stats FILE                                  parse and analysis timings, in the anchors' format
  suspects FILE [--top N] [--json]                 leak suspects from one snapshot: accumulation points, big dominators
  dominators FILE [--id N] [--depth D] [--top N] [--json]
                                                   the dominator tree from the root (or object N), children by retained size
  attribution FILE [--by package|file] [--json]    retained size by package or file, every byte counted once
  waste FILE [--top N] [--json]                    duplicated strings, sliced strings, empty/oversized collections,
                                                   duplicated arrays
  redact IN OUT [--positions] [--help]             a shareable copy: same graph and sizes, string values replaced
${CHECK_USAGE}
${MCP_USAGE}`;

const COMMANDS: Record<string, (a: Args) => Promise<number>> = {
  'find-leaks': findLeaksCommand,
  summary: (a) => (a.flag('--locations') ? summaryByLocationCommand(a) : summaryCommand(a)),
  retainers: (a) => (a.flag('--merged') ? mergedRetainersCommand(a) : retainersCommand(a)),
  diff: compareCommand,
  nodes: nodesCommand,
  'load-stats': loadStatsCommand,
  suspects: suspectsCommand,
  dominators: dominatorsCommand,
  attribution: attributionCommand,
  waste: wasteCommand,
  redact: redactCommand,
};

/** Commands that read their own arguments (util.parseArgs). */
const RAW_COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  check: checkCommand,
  mcp: mcpCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const raw = command === undefined ? undefined : RAW_COMMANDS[command];
  if (raw) return raw(rest);
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === 'redact' && rest.includes('--help')) {
    process.stdout.write(REDACT_HELP + '\n');
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`heaplens: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(new Args(rest, command === 'find-leaks' ? FIND_LEAKS_OPTIONS : undefined));
  } catch (e) {
    if (isSnapshotError(e)) {
      process.stderr.write(`heaplens: cannot read the snapshot: ${e.message} [${e.code}]\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`heaplens: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (isFileError(e)) {
      process.stderr.write(`heaplens: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function isFileError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall !== undefined;
}
