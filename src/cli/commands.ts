import { isSnapshotError } from '../core/errors';
import { Args, FIND_LEAKS_OPTIONS, UsageError } from './args';
import { findLeaksCommand } from './findLeaks';
import { checkCommand, CHECK_USAGE } from './check';
import { mcpCommand, MCP_USAGE } from './mcp';
import { diffCommand, loadStatsCommand, nodesCommand, retainersCommand, summaryCommand } from './snapshotCommands';

const USAGE = `usage: heaplens <command> [options]
  find-leaks SCENARIO [--iterations N] [--json OUT]  run a scenario under the inspector and hunt its leaks
  find-leaks --attach HOST:PORT (--action EXPR | --request URL) [--iterations N] [--json OUT]
                                                   hunt in a process already running with --inspect
  summary FILE [--top N] [--json]                  classes by count, self and retained size
  retainers FILE --id N [--paths K] [--ignore ID,ID] [--json]
                                                   paths from GC roots to the object with id N
  diff A B [--top N] [--json]                      growth by class between two snapshots of one process
  nodes FILE --tsv [OUT]                           node_id, self_size, retained_size, distance per node
  load-stats FILE                                  parse and analysis timings, in the anchors' format
${CHECK_USAGE}
${MCP_USAGE}`;

const COMMANDS: Record<string, (a: Args) => Promise<number>> = {
  'find-leaks': findLeaksCommand,
  summary: summaryCommand,
  retainers: retainersCommand,
  diff: diffCommand,
  nodes: nodesCommand,
  'load-stats': loadStatsCommand,
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
