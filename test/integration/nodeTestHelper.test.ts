// heaplens/test's assertNoLeak as a user runs it: `node --test` files that import it by the
// package name (package.json "exports"), run as child processes. The leaky function's test
// fails with the sentence and the allocating line, the fixed one's passes, an ES module
// export is found through import.meta.url, and nothing is left running.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO } from '../helpers/snapshots';
import { processesMentioning } from '../helpers/processes';

function nodeTest(file: string): { code: number | null; out: string } {
  // A child of a test run inherits NODE_TEST_CONTEXT and would not run its files: a user's
  // `node --test` has none.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', file], {
    cwd: REPO,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

test(
  'a node --test file fails on a leaky function with its sentence and line, and passes on the fixed one',
  { timeout: 400_000 },
  () => {
    const leaky = nodeTest('test/fixtures/testing/leaky.test.mjs');
    assert.equal(leaky.code, 1, leaky.out);
    assert.match(leaky.out, /openSessionLeaky leaks: 1 kind\(s\) of object kept growing over 6 calls/);
    assert.match(leaky.out, /Session: \+[\d.]+ (B|KB) per call\. .*kept alive by the array `audit`/);
    assert.match(leaky.out, /allocated at .*examples\/testing\/sessions\.js:17:\d+ in openSessionLeaky/);
    assert.match(leaky.out, /ℹ fail 1/);

    const fixed = nodeTest('examples/testing/sessions.test.mjs');
    assert.equal(fixed.code, 0, fixed.out);
    assert.match(fixed.out, /✔ opening a session does not leak/);
    assert.match(fixed.out, /ℹ pass 1/);

    const esm = nodeTest('test/fixtures/testing/esm.test.mjs');
    assert.equal(esm.code, 1, esm.out);
    // The leak, its sentence and its line (V8 used to lose these records when a compaction moved
    // the objects; the hunt's debuggee runs with --no-compact, docs/v8-facts.md).
    assert.match(
      esm.out,
      /recordVisit leaks: .*\n.*Visit: .*kept alive by entries of the Map `seen`.*\n\s+allocated at .*esm-module\.mjs:7:\d+ in recordVisit/,
    );
    assert.match(esm.out, /✔ a function its module does not export/);
    assert.deepEqual(processesMentioning('heaplens-assert-'), [], 'no child hunt left running');
  },
);
