// The workbench's cost on one snapshot: the load (parse + analysis, as `heaplens load-stats`
// measures it), then leak suspects and attribution by package on the loaded heap, each alone.
// The budget: suspects and attribution together add at most 15% to the load.
// Prints `key  value` lines. Needs `npx tsc -p tsconfig.test.json` (npm run bench does it).
//   node bench/workbench.mjs FILE
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(repo, 'out', 'src', 'core', ...p.split('/')));
const { loadSnapshotFile } = out('load.js');
const { analyzeParallel } = out('graph/parallel.js');
const { ClassKeys } = out('workbench/classKeys.js');
const { findSuspects } = out('workbench/suspects.js');
const { attribute } = out('workbench/attribution.js');

const file = process.argv[2];
if (!file) {
  console.log('error  usage: node bench/workbench.mjs FILE');
  process.exit(2);
}
const line = (k, v) => console.log(`${k.padEnd(19)}${v}`);
const t0 = performance.now();
const a = await analyzeParallel(await loadSnapshotFile(file));
const loadMs = performance.now() - t0;
// CPU time too: on a shared machine wall time also measures the neighbours.
const cpuMs = (c) => {
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000;
};
const t1 = performance.now();
const c1 = process.cpuUsage();
const keys = ClassKeys.of(a);
const suspects = findSuspects(a, {}, keys);
const suspectsMs = performance.now() - t1;
const suspectsCpu = cpuMs(c1);
const t2 = performance.now();
const c2 = process.cpuUsage();
// Attribution reuses the script index the suspects built, as the editor's session does.
const attribution = attribute(a, 'package', keys.scripts);
const attributionMs = performance.now() - t2;
const attributionCpu = cpuMs(c2);
line('load_ms', loadMs.toFixed(0));
line('suspects_ms', suspectsMs.toFixed(0));
line('attribution_ms', attributionMs.toFixed(0));
line('suspects_cpu_ms', suspectsCpu.toFixed(0));
line('attribution_cpu_ms', attributionCpu.toFixed(0));
line('share_of_load', `${(((suspectsMs + attributionMs) / loadMs) * 100).toFixed(1)}%`);
line('suspects', suspects.length);
line('packages', attribution.rows.length);
line('peak_rss_mb', (process.resourceUsage().maxRSS / 1024).toFixed(0));
