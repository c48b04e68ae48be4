// HOOK: the snapshot workbench (bench/workbench.mjs): leak suspects and attribution by
// package, timed on the loaded heap and given as a share of the load in the same process.
// The budget is 15% of the load.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths.mjs';

export const id = 'workbench';
export const title =
  'Workbench: suspects + attribution as a share of the load (budget 15%, bench/workbench.mjs)';
export const scope = 'snapshot';
export const BUDGET = 0.15;

export async function measure({ file, snap, resultsDir, runNode }) {
  if (!fs.existsSync(path.join(repoRoot, 'out', 'src', 'core', 'workbench', 'suspects.js'))) {
    return { status: 'n/a', note: 'out/ missing: run `npx tsc -p tsconfig.test.json` first' };
  }
  const script = path.join(repoRoot, 'bench', 'workbench.mjs');
  const r = await runNode(['--max-old-space-size=16000', script, file], {
    cwd: repoRoot,
    logBase: path.join(resultsDir, `${snap.name}.workbench`),
  });
  if (!r.ok) return { status: 'failed', reason: r.reason };
  const num = (k) => r.kv[k]?.num;
  const suspects = num('suspects_ms');
  const attribution = num('attribution_ms');
  const load = num('load_ms');
  if (!Number.isFinite(suspects) || !Number.isFinite(attribution) || !Number.isFinite(load))
    return { status: 'failed', reason: 'bench/workbench.mjs printed no timings' };
  const share = (suspects + attribution) / load;
  return {
    status: 'ok',
    ms: suspects + attribution,
    rssMb: r.timeV.maxRssMb,
    headline: `**${(share * 100).toFixed(1)}% of load** (${share <= BUDGET ? 'within' : 'OVER'} the 15% budget)`,
    note: `suspects ${suspects} ms + attribution ${attribution} ms on a load of ${load} ms; CPU ${num('suspects_cpu_ms')} + ${num('attribution_cpu_ms')} ms`,
  };
}
