// CI check "identical to DevTools": for real snapshots made during the test, every
// node's self size, retained size and distance from `heaplens nodes --tsv` must
// equal what Chrome DevTools' own heap-snapshot worker computes
// (test/oracles/devtools-oracle.mjs), compared row by row.  DevTools, not memlab or
// VS Code's parser, is the reference: it is what users cross-check us against.
//
// Needs DevTools' package in the cache folder (scripts/test-deps.mjs, npm test's
// pretest step) and dist/cli.js built.  HEAPLENS_KEEP_PARITY=1 keeps the temp dir
// even on success.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { compareDumps, devtoolsOracle, DUMP_HEADER, heapLensCli, repoRoot } from './helpers/anchors';
import { describeRun, runNode } from './helpers/proc';
import { makeProgramSnapshot } from './helpers/snapshots';
import { makeSyntheticSnapshot } from './helpers/syntheticHeap';
import { runScriptProgram, SCRIPT_PROGRAMS } from './helpers/corpusPrograms';
import { INSPECTOR_CASES } from './helpers/corpusInspector';
import { randomGraphSnapshot } from './helpers/corpusGraphs';

// A small and a mid-sized synthetic heap; the larger sizes run in the bench (npm run bench).
const SYNTHETIC_MB = [8, 25];
// Tiny snapshots on which Heap Lens once differed (test/fixtures/snapshots).
const FIXTURES = ['clique', 'zeroself'];

interface Case {
  name: string;
  make: (dir: string) => Promise<string>;
}
const cases: Case[] = [
  { name: 'Node program, v8.writeHeapSnapshot', make: makeProgramSnapshot },
  ...SCRIPT_PROGRAMS.map((p): Case => ({
    name: `program ${p.name}`,
    make: (dir) => runScriptProgram(dir, p),
  })),
  ...INSPECTOR_CASES,
  ...SYNTHETIC_MB.map((mb): Case => ({
    name: `synthetic heap, ${mb} MB`,
    make: (dir) => makeSyntheticSnapshot(dir, mb),
  })),
  ...FIXTURES.map((f): Case => ({
    name: `fixture ${f}`,
    make: async (dir) => {
      const file = path.join(dir, `${f}.heapsnapshot`);
      fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'snapshots', `${f}.heapsnapshot`), file);
      return file;
    },
  })),
  ...[1, 2, 3, 4].map((seed): Case => ({
    name: `random graph ${seed}`,
    make: async (dir) => randomGraphSnapshot(dir, seed),
  })),
];

let root = '';
let anyFailed = false;
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-parity-'));
});
after(() => {
  if (anyFailed || process.env.HEAPLENS_KEEP_PARITY) console.log(`# parity files kept in ${root}`);
  else fs.rmSync(root, { recursive: true, force: true });
});

cases.forEach((c, i) => {
  test(`identical to DevTools: ${c.name}`, { timeout: 120_000 }, async (t) => {
    try {
      const dir = path.join(root, `case${i}`);
      fs.mkdirSync(dir);
      const file = await c.make(dir);
      t.diagnostic(`${path.basename(file)}: ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);

      const dtTsv = path.join(dir, 'devtools.tsv');
      // Fails, never skips, when DevTools is not installed: a skipped parity check reads as
      // "parity holds".
      const dt = await runNode(['--max-old-space-size=4096', devtoolsOracle, file, '--dump', dtTsv], {
        cwd: dir,
        timeoutMs: 150_000,
      });
      assert.ok(dt.code === 0 && fs.existsSync(dtTsv), describeRun('DevTools oracle', dt));
      t.diagnostic(`DevTools oracle ${dt.ms} ms`);

      if (!fs.existsSync(heapLensCli)) assert.fail(`${heapLensCli} not built: run npm run build`);
      const hlTsv = path.join(dir, 'heaplens.tsv');
      const hl = await runNode([heapLensCli, 'nodes', file, '--tsv', hlTsv], {
        cwd: dir,
        timeoutMs: 150_000,
      });
      assert.ok(hl.code === 0 && fs.existsSync(hlTsv), describeRun('heaplens nodes --tsv', hl));
      t.diagnostic(`heaplens nodes ${hl.ms} ms`);
      const header = fs.readFileSync(hlTsv, 'utf8').slice(0, 200).split('\n')[0];
      assert.equal(header, DUMP_HEADER, 'heaplens nodes --tsv header must match devtools-oracle.mjs --dump');

      // Ids, self sizes, retained sizes and distances must all agree.
      const difference = compareDumps(dtTsv, hlTsv);
      assert.equal(difference, null, `Heap Lens differs from DevTools on ${c.name} (${file}): ${difference}`);
    } catch (e) {
      anyFailed = true;
      throw e;
    }
  });
});
