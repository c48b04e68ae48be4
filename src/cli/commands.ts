import fs from 'node:fs';
import { loadSnapshotFile } from '../core/load';
import { analyze } from '../core/graph/analysis';
import { isSnapshotError } from '../core/errors';

const USAGE = `usage: heaplens <command> [options]
  summary FILE [--json]            classes by count, self and retained size
  retainers FILE --id N [--json]   paths from GC roots to the object with id N
  diff A B [--json]                growth by class between two snapshots of one process
  nodes FILE --tsv [OUT]           node_id, self_size, retained_size, distance for every node
  load-stats FILE                  timings and totals, in the anchors' format`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'nodes': return await nodesCommand(rest);
      case 'load-stats': return await loadStatsCommand(rest);
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE + '\n');
        return command ? 0 : 2;
      default:
        process.stderr.write(`heaplens: unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (isSnapshotError(e)) {
      process.stderr.write(`heaplens: cannot read the snapshot: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
}

async function nodesCommand(args: string[]): Promise<number> {
  const file = args[0];
  const tsvAt = args.indexOf('--tsv');
  if (!file || tsvAt < 0) throw new Error('usage: heaplens nodes FILE --tsv [OUT]');
  const out = args[tsvAt + 1] && !args[tsvAt + 1].startsWith('--') ? args[tsvAt + 1] : null;
  const a = analyze(await loadSnapshotFile(file));
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

async function loadStatsCommand(args: string[]): Promise<number> {
  const file = args[0];
  if (!file) throw new Error('usage: heaplens load-stats FILE');
  const t0 = performance.now();
  const snapshot = await loadSnapshotFile(file);
  const parseMs = performance.now() - t0;
  const a = analyze(snapshot);
  const loadMs = performance.now() - t0;
  const rss = process.resourceUsage().maxRSS / 1024;
  let selfSum = 0;
  for (let i = 0; i < snapshot.nodeCount; i++) selfSum += a.selfSize[i];
  const line = (k: string, v: string | number): void => { process.stdout.write(`${k.padEnd(19)}${v}\n`); };
  line('parse_ms', parseMs.toFixed(0));
  line('load_ms', loadMs.toFixed(0));
  line('peak_rss_mb', rss.toFixed(0));
  line('node_count', snapshot.nodeCount);
  line('edge_count', snapshot.edgeCount);
  line('total_self_size', selfSum);
  line('root_retained', a.retainedSize[snapshot.rootOrdinal]);
  return 0;
}
