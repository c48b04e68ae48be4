// Where things live.  Everything is resolved from the repo root (not from the cwd
// and never from a hard-coded /work path) because CI and developers clone the repo
// with the read-only anchors folder beside it: <parent>/shared/anchors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// HEAPLENS_ANCHORS only exists for unusual checkouts; the documented layout is ../shared/anchors.
export const anchorsDir = path.resolve(repoRoot, process.env.HEAPLENS_ANCHORS || '../shared/anchors');

// The oracles' node_modules (installed by scripts/setup-anchors.sh), outside the repo.
export const anchorWork = path.resolve(process.env.ANCHOR_WORK || '/tmp/anchorwork');

// Multi-GB snapshots must not land in the repo or in /tmp (which may be RAM-backed
// and is wiped on reboot); regenerating the 1.5 GB one costs ~2 min and ~8 GB RAM.
export const benchDir = path.resolve(
  process.env.HEAPLENS_BENCH_DIR || path.join(os.homedir(), '.cache', 'heaplens-bench'),
);

export const heapLensCli = path.join(repoRoot, 'dist', 'cli.js');
export const webviewBench = path.join(repoRoot, 'bench', 'webview.mjs');

export const anchor = (name) => path.join(anchorsDir, name);

export function checkAnchors() {
  const problems = [];
  if (!fs.existsSync(anchor('devtools-oracle.mjs')))
    problems.push(`anchors not found at ${anchorsDir} (expected ../shared/anchors beside the repo)`);
  if (!fs.existsSync(path.join(anchorWork, 'node_modules', 'chrome-devtools-frontend'))) {
    problems.push(`anchor node_modules missing in ${anchorWork}: run scripts/setup-anchors.sh`);
  }
  return problems;
}
