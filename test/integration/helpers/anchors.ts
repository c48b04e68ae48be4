// Locating the repo, the DevTools oracle and our CLI from compiled test code. The tests run
// from out/test/..., so paths are found by walking up to our package.json rather than by
// counting '..' (which breaks when tsc's outDir or rootDir changes).
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    // out/ holds a copy of package.json (tsc emits the JSON it imports); the repo is where the
    // sources' tsconfig.json is.
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'tsconfig.json'))) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'heaplens') return dir;
      } catch {
        /* not ours, keep walking */
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the heaplens package.json above ${start}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);
// In the repo, never beside it: a clone alone must pass its tests. The oracle finds DevTools'
// package in the cache folder that scripts/test-deps.mjs (npm test's pretest step) installs.
export const devtoolsOracle = path.join(repoRoot, 'test', 'oracles', 'devtools-oracle.mjs');
// HEAPLENS_CLI: test another build (or a stand-in) without touching dist/.
export const heapLensCli = path.resolve(repoRoot, process.env.HEAPLENS_CLI ?? 'dist/cli.js');

export const DUMP_HEADER = 'node_id\tself_size\tretained_size\tdistance';

/**
 * Row by row comparison of two dumps (`DUMP_HEADER` TSVs, one row per node in snapshot order):
 * null when equal, else what differs, with the first `examples` differing rows.
 */
export function compareDumps(expectedFile: string, actualFile: string, examples = 20): string | null {
  const read = (f: string): string[] =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  const expected = read(expectedFile);
  const actual = read(actualFile);
  if (expected[0] !== DUMP_HEADER || actual[0] !== DUMP_HEADER) {
    return `headers differ from "${DUMP_HEADER}": "${expected[0]}" / "${actual[0]}"`;
  }
  if (expected.length !== actual.length)
    return `node counts differ: ${expected.length - 1} / ${actual.length - 1}`;
  const columns = DUMP_HEADER.split('\t');
  const counts = new Map<string, number>();
  const shown: string[] = [];
  for (let i = 1; i < expected.length; i++) {
    if (expected[i] === actual[i]) continue;
    const e = expected[i].split('\t');
    const a = actual[i].split('\t');
    const differing = columns.filter((_, c) => e[c] !== a[c]);
    for (const c of differing) counts.set(c, (counts.get(c) ?? 0) + 1);
    if (shown.length < examples)
      shown.push(`  row ${i}: expected ${e.join(' ')}, got ${a.join(' ')} (${differing.join(', ')})`);
  }
  if (!counts.size) return null;
  const summary = [...counts].map(([c, n]) => `${c} on ${n} nodes`).join(', ');
  return `${summary} (of ${expected.length - 1})\n${shown.join('\n')}`;
}
