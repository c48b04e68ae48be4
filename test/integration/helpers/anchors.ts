// Locating the repo, the anchors (reference analyzers) and our CLI from compiled
// test code.  The tests run from out/test/..., so paths are found by walking up
// to our package.json rather than by counting '..' (which breaks when tsc's
// outDir or rootDir changes).
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'heaplens') return dir;
      } catch { /* not ours, keep walking */ }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the heaplens package.json above ${start}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);
// CI clones the repo with shared/ beside it; never hard-code the machine's layout.
export const anchorsDir = path.resolve(repoRoot, process.env.HEAPLENS_ANCHORS ?? '../shared/anchors');
export const anchorWork = path.resolve(process.env.ANCHOR_WORK ?? '/tmp/anchorwork');
// HEAPLENS_CLI: test another build (or a stand-in) without touching dist/.
export const heapLensCli = path.resolve(repoRoot, process.env.HEAPLENS_CLI ?? 'dist/cli.js');
export const anchor = (name: string): string => path.join(anchorsDir, name);

/**
 * Why the anchors cannot run, or null when they can.  Parity is the one check
 * that says "identical to DevTools", so a missing oracle must fail the run
 * loudly instead of letting it pass by skipping.
 */
export function anchorsProblem(): string | null {
  const missing: string[] = [];
  for (const f of ['devtools-oracle.mjs', 'compare-dumps.mjs', 'make-snapshot.js']) {
    if (!fs.existsSync(anchor(f))) missing.push(anchor(f));
  }
  if (missing.length) {
    return `anchor scripts not found (${missing.join(', ')}); the repo must be cloned with shared/anchors beside it (../shared/anchors)`;
  }
  for (const pkg of ['chrome-devtools-frontend', 'esbuild']) {
    if (!fs.existsSync(path.join(anchorWork, 'node_modules', pkg, 'package.json'))) {
      return `anchors not installed in ${anchorWork} (${pkg} missing): run scripts/setup-anchors.sh (CI runs it before the tests), or set ANCHOR_WORK to where they are installed`;
    }
  }
  return null;
}
