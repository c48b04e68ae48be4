// CI check "identical to DevTools": for real snapshots made during the test, every
// node's self size, retained size and distance from `heaplens nodes --tsv` must
// equal what Chrome DevTools' own heap-snapshot worker computes
// (../shared/anchors/devtools-oracle.mjs), compared row by row by the anchors'
// compare-dumps.mjs.  DevTools, not memlab or VS Code's parser, is the reference:
// it is what users cross-check us against (see the anchors' README for how the
// three differ).
//
// Needs the anchors installed (scripts/setup-anchors.sh; ANCHOR_WORK to relocate)
// and dist/cli.js built.  HEAPLENS_KEEP_PARITY=1 keeps the temp dir even on success.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { anchor, anchorsProblem, anchorWork, heapLensCli, repoRoot } from './helpers/anchors';
import { describeRun, runNode } from './helpers/proc';
import { makeProgramSnapshot, makeSyntheticSnapshot } from './helpers/snapshots';
import { runScriptProgram, SCRIPT_PROGRAMS } from './helpers/corpusPrograms';
import { INSPECTOR_CASES } from './helpers/corpusInspector';
import { randomGraphSnapshot } from './helpers/corpusGraphs';

const DUMP_HEADER = 'node_id\tself_size\tretained_size\tdistance';

// make-snapshot.js cannot go below ~8.5 MB (Node's own heap plus its calibration
// units), and above 64 MB it takes a second calibration pass with a bigger heap;
// the larger sizes run in the bench (npm run bench), not here.
const SYNTHETIC_MB = [8];
// Tiny snapshots on which Heap Lens once differed (test/fixtures/snapshots).
const FIXTURES = ['clique', 'zeroself'];

interface Case { name: string; make: (dir: string) => Promise<string> }
const cases: Case[] = [
  { name: 'Node program, v8.writeHeapSnapshot', make: makeProgramSnapshot },
  ...SCRIPT_PROGRAMS.map((p): Case => ({ name: `program ${p.name}`, make: (dir) => runScriptProgram(dir, p) })),
  ...INSPECTOR_CASES,
  ...SYNTHETIC_MB.map((mb): Case => ({ name: `make-snapshot.js ${mb} MB`, make: (dir) => makeSyntheticSnapshot(dir, mb) })),
  ...FIXTURES.map((f): Case => ({ name: `fixture ${f}`, make: async (dir) => {
    const file = path.join(dir, `${f}.heapsnapshot`);
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'snapshots', `${f}.heapsnapshot`), file);
    return file;
  } })),
  ...[1, 2, 3, 4].map((seed): Case => ({ name: `random graph ${seed}`, make: async (dir) => randomGraphSnapshot(dir, seed) })),
];

let root = '';
let anyFailed = false;
before(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-parity-')); });
after(() => {
  if (anyFailed || process.env.HEAPLENS_KEEP_PARITY) console.log(`# parity files kept in ${root}`);
  else fs.rmSync(root, { recursive: true, force: true });
});

cases.forEach((c, i) => {
  test(`identical to DevTools: ${c.name}`, { timeout: 120_000 }, async (t) => {
    try {
      // Fail, never skip: a silently skipped parity check reads as "parity holds".
      const problem = anchorsProblem();
      if (problem) assert.fail(problem);

      const dir = path.join(root, `case${i}`);
      fs.mkdirSync(dir);
      const file = await c.make(dir);
      t.diagnostic(`${path.basename(file)}: ${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);

      const dtTsv = path.join(dir, 'devtools.tsv');
      const dt = await runNode(['--max-old-space-size=4096', anchor('devtools-oracle.mjs'), file, '--dump', dtTsv, '--work', anchorWork],
        { cwd: dir, timeoutMs: 100_000 });
      assert.ok(dt.code === 0 && fs.existsSync(dtTsv), describeRun('DevTools oracle', dt));
      t.diagnostic(`DevTools oracle ${dt.ms} ms`);

      if (!fs.existsSync(heapLensCli)) assert.fail(`${heapLensCli} not built: run npm run build`);
      const hlTsv = path.join(dir, 'heaplens.tsv');
      const hl = await runNode([heapLensCli, 'nodes', file, '--tsv', hlTsv], { cwd: dir, timeoutMs: 100_000 });
      assert.ok(hl.code === 0 && fs.existsSync(hlTsv), describeRun('heaplens nodes --tsv', hl));
      t.diagnostic(`heaplens nodes ${hl.ms} ms`);
      const header = fs.readFileSync(hlTsv, 'utf8').slice(0, 200).split('\n')[0];
      assert.equal(header, DUMP_HEADER, 'heaplens nodes --tsv header must match devtools-oracle.mjs --dump');

      // Exit 0 only if ids, self sizes, retained sizes and distances all agree.
      const cmp = await runNode([anchor('compare-dumps.mjs'), dtTsv, hlTsv, '--examples', '20'], { cwd: dir, timeoutMs: 120_000 });
      assert.equal(cmp.code, 0, `Heap Lens differs from DevTools on ${c.name} (${file}):\n${cmp.stdout}${cmp.stderr}`);
    } catch (e) {
      anyFailed = true;
      throw e;
    }
  });
});
