// HOOK: the leak hunt's figures (bench/hunt.mjs): the book story from start to report, and
// the debuggee's slowdown with allocation tracking on. Independent of the snapshots, so it
// runs once per bench run.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths.mjs';
import { parseConsoleTable } from './webview.mjs';

export const id = 'story';
export const title = 'Leak hunt: book story start-to-report, tracking slowdown (bench/hunt.mjs)';
export const scope = 'run';

export async function measure({ resultsDir, runNode }) {
  const script = path.join(repoRoot, 'bench', 'hunt.mjs');
  if (!fs.existsSync(path.join(repoRoot, 'out', 'src', 'inspector', 'runner.js'))) {
    return { status: 'n/a', note: 'out/ missing: run `npx tsc -p tsconfig.test.json` first' };
  }
  const r = await runNode([script], { cwd: repoRoot, logBase: path.join(resultsDir, 'hunt') });
  if (!r.ok) return { status: 'failed', reason: r.reason };
  const table = parseConsoleTable(r.stdout);
  if (!table) return { status: 'failed', reason: 'bench/hunt.mjs printed no table' };
  return { status: 'ok', table, note: 'book story; iterations of its scenario', rssMb: r.timeV.maxRssMb };
}
