// HOOK: webview layout time.  The measurement belongs to bench/webview.mjs (the
// webview owner's script: headless Chromium, its own generated retainer graphs of
// a few sizes); this module only runs it in the same bench run and folds its
// figures into the report.  It does not depend on our snapshots, so it runs once
// per bench run (scope 'run'), not once per snapshot.
//
// What is read from bench/webview.mjs's stdout, in this order:
//   1. a console.table (its current output): every row/column is kept;
//   2. else `key<spaces>value` lines in the oracles' layout, `layout_ms` at least.
// Exit status must be 0; on failure its error line is shown as the reason.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, webviewBench } from '../paths.mjs';

export const id = 'webview';
export const title = 'Webview layout (bench/webview.mjs)';
export const scope = 'run';

// console.table draws box characters; the first │-row is the header.
export function parseConsoleTable(text) {
  const rows = text
    .split('\n')
    .filter((l) => l.trimStart().startsWith('│'))
    .map((l) =>
      l
        .trim()
        .replace(/^│|│$/g, '')
        .split('│')
        .map((c) => c.trim().replace(/^'(.*)'$/, '$1')),
    );
  if (rows.length < 2) return null;
  const [header, ...data] = rows;
  const keep = header.map((h, i) => [h, i]).filter(([h]) => h !== '(index)');
  return { columns: keep.map(([h]) => h), rows: data.map((r) => keep.map(([, i]) => r[i] ?? '')) };
}

export async function measure({ resultsDir, runNode }) {
  if (!fs.existsSync(webviewBench)) return { status: 'n/a', note: 'bench/webview.mjs not written yet' };
  // bench/webview.mjs loads compiled helpers from out/test/webview (tsc -p tsconfig.test.json)
  if (!fs.existsSync(path.join(repoRoot, 'out', 'test', 'webview'))) {
    return { status: 'n/a', note: 'out/test/webview missing: run `npx tsc -p tsconfig.test.json` first' };
  }
  const r = await runNode([webviewBench], { cwd: repoRoot, logBase: path.join(resultsDir, 'webview') });
  if (!r.ok) return { status: 'failed', reason: r.reason };
  const table = parseConsoleTable(r.stdout);
  const heading = r.stdout.split('\n').find((l) => l.trim() && !/^[│┌├└]/.test(l.trim())) || '';
  if (table) return { status: 'ok', table, note: heading.trim(), rssMb: r.timeV.maxRssMb };
  const layout = r.kv.layout_ms;
  if (layout && Number.isFinite(layout.num)) return { status: 'ok', ms: layout.num, rssMb: r.timeV.maxRssMb };
  return { status: 'failed', reason: 'bench/webview.mjs printed neither a table nor a layout_ms line' };
}
