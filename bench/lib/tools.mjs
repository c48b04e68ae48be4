// The analyzers compared.  Each one runs in its own `node --max-old-space-size=16000`
// process, so memory limits, GC heuristics and RSS accounting are the same for all,
// and one tool's garbage can never be charged to the next.
import fs from 'node:fs';
import { anchor, anchorWork, heapLensCli, repoRoot } from './paths.mjs';

const NODE_FLAGS = ['--max-old-space-size=16000'];

export const TOOLS = {
  heaplens: {
    title: 'Heap Lens',
    // dist/cli.js only exists after `npm run build`; until the CLI lands the
    // column reads "n/a" rather than failing the whole run.
    available: () => (fs.existsSync(heapLensCli) ? null : 'n/a (dist/cli.js not built)'),
    args: (file) => [...NODE_FLAGS, heapLensCli, 'load-stats', file],
  },
  // Another build of Heap Lens measured in the same run (before/after a change):
  // HEAPLENS_BASELINE_CLI=/path/to/that/dist/cli.js npm run bench -- --tools heaplens,heaplens-baseline,...
  'heaplens-baseline': {
    title: 'Heap Lens (baseline build)',
    available: () =>
      process.env.HEAPLENS_BASELINE_CLI && fs.existsSync(process.env.HEAPLENS_BASELINE_CLI)
        ? null
        : 'n/a (HEAPLENS_BASELINE_CLI names no built cli.js)',
    args: (file) => [...NODE_FLAGS, process.env.HEAPLENS_BASELINE_CLI, 'load-stats', file],
  },
  devtools: {
    title: 'DevTools',
    available: () => null,
    args: (file) => [...NODE_FLAGS, anchor('devtools-oracle.mjs'), file, '--work', anchorWork],
  },
  memlab: {
    title: 'MemLab',
    available: () => null,
    args: (file) => [...NODE_FLAGS, anchor('memlab-oracle.mjs'), file, '--work', anchorWork],
  },
  'vscode-parser': {
    title: 'VS Code parser',
    available: () => null,
    // --no-walk: the per-node walk happens after load_ms and only serves dumps
    args: (file) => [
      ...NODE_FLAGS,
      anchor('vscode-parser-oracle.mjs'),
      file,
      '--no-walk',
      '--work',
      anchorWork,
    ],
  },
};
export const TOOL_ORDER = ['heaplens', 'heaplens-baseline', 'devtools', 'memlab', 'vscode-parser'];
// What runs when --tools is not given: the baseline only when one is named.
export const DEFAULT_TOOLS = TOOL_ORDER.filter(
  (t) => t !== 'heaplens-baseline' || process.env.HEAPLENS_BASELINE_CLI,
);
export const toolCwd = repoRoot;

// Normalize one run into the figures the report needs.  In-process peak RSS is
// the headline (same definition for every tool: resourceUsage().maxRSS right
// after load); time -v's whole-process maximum is kept beside it.
export function figures(run) {
  const n = (k) => (run.kv[k] ? run.kv[k].num : NaN);
  return {
    ok: run.ok,
    reason: run.reason,
    parseMs: n('parse_ms'),
    loadMs: n('load_ms'),
    rssMb: n('peak_rss_mb'),
    // Heap Lens only: the bytes of its typed arrays, the floor under its RSS
    arraysMb: n('arrays_mb'),
    timeRssMb: run.timeV.maxRssMb,
    wallS: Number.isFinite(run.timeV.wallS) ? run.timeV.wallS : run.wallMs / 1000,
    nodeCount: n('node_count'),
    edgeCount: n('edge_count'),
    rootRetained: n('root_retained'),
    // the VS Code oracle prints how far it got before failing ("in parse after N ms")
    failedAfterMs: run.kv.FAILED ? Number((/after (\d+) ms/.exec(run.kv.FAILED.text) || [])[1]) : NaN,
  };
}
