// `heaplens check` as CI runs it: real hunts of the examples, exit codes, SARIF validated
// against the SARIF 2.1.0 JSON schema (bundled in test/fixtures/sarif) with ajv, the user
// frame's file and line in each result, and JUnit XML with one test case per scenario.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { CLI, REPO, tempDir } from '../helpers/snapshots';
import { processesMentioning } from '../helpers/processes';

const BOOKS = 'examples/books/scenario.js';
const CONTROL = 'examples/controls/lru-cache.js';
const MODULE_LEAK = 'examples/leaks/module-variable.js';

function check(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args, '--quiet'], {
    encoding: 'utf8',
    timeout: 200_000,
    cwd: REPO,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function sarifValidator(): (log: unknown) => string[] {
  const schema = JSON.parse(
    fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number };
    };
  }[];
}

test(
  'a leaky scenario and a control: exit 1, SARIF that validates with the allocating line, JUnit with one case each',
  { timeout: 240_000 },
  () => {
    const dir = tempDir();
    const sarif = path.join(dir, 'check.sarif');
    const junit = path.join(dir, 'check.xml');
    const r = check(BOOKS, CONTROL, '--iterations', '5', '--sarif', sarif, '--junit', junit);
    assert.equal(r.code, 1, `${r.out}\n${r.err}`);
    assert.match(r.out, /^LEAK {2}examples\/books\/scenario\.js:$/m);
    assert.match(r.out, /at .*examples\/books\/books\.js:40:\d+ in processBooks/);
    assert.match(r.out, /^PASS {2}examples\/controls\/lru-cache\.js: no leak/m);

    const log = JSON.parse(fs.readFileSync(sarif, 'utf8')) as {
      version: string;
      runs: { results: SarifResult[]; invocations: { executionSuccessful: boolean }[] }[];
    };
    const validate = sarifValidator();
    assert.deepEqual(validate(log), [], 'the SARIF log validates against the 2.1.0 schema');
    // The validator is not vacuous: a log with a wrong version or a result without a message fails it.
    assert.notDeepEqual(validate({ ...log, version: '2.0.0' }), []);
    assert.notDeepEqual(
      validate({ ...log, runs: [{ ...log.runs[0], results: [{ ruleId: 'x', locations: [] }] }] }),
      [],
    );
    const results = log.runs[0].results;
    const book = results.find((x) => x.message.text.includes('Book'));
    assert.ok(book, `a result for the Book leak: ${JSON.stringify(results).slice(0, 400)}`);
    assert.equal(book.ruleId, 'heaplens/memory-leak');
    const loc = book.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'examples/books/books.js', 'relative to the checked-out tree');
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(loc.region.startLine, 40);
    assert.match(book.message.text, /kept alive by the array `reasons`.*ParseBookError/);
    assert.equal(log.runs[0].invocations[0].executionSuccessful, true);

    const xml = fs.readFileSync(junit, 'utf8');
    assert.equal((xml.match(/<testcase /g) ?? []).length, 2, xml);
    assert.match(xml, /<testsuite name="heaplens check" tests="2" failures="1" errors="0"/);
    assert.match(
      xml,
      /<testcase classname="heaplens.check" name="examples\/books\/scenario.js"[^>]*>\s*<failure type="leak" message="[^"]*Book[^"]*">[^<]*books\.js:40/,
    );
    assert.match(
      xml,
      /<testcase classname="heaplens.check" name="examples\/controls\/lru-cache.js"[^>]*>\s*<\/testcase>/,
    );
    assert.deepEqual(processesMentioning(path.join(REPO, BOOKS)), [], 'no debuggee left');
  },
);

test(
  'a control alone exits 0; --max-growth tolerates a leak that grows less; usage and run errors exit 2',
  { timeout: 240_000 },
  () => {
    // Four iterations insert 800 entries into this LRU of 500: the survivors come from the last
    // 2.5 iterations only, born in 3 of 4, which BLeak's birth rule alone reads as a leak. The
    // heap-stats fragments show the first iterations' objects being freed (src/hunt/growth.ts).
    const clean = check(CONTROL, '--iterations', '4');
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /1 scenario\(s\), 0 leaking, 0 could not be checked/);

    const strict = check(MODULE_LEAK, '--iterations', '4');
    assert.equal(strict.code, 1, strict.out + strict.err);
    const growth =
      Number(/CachedResponse \+([\d.]+) (B|KB)/.exec(strict.out)?.[1] ?? NaN) *
      (/CachedResponse \+[\d.]+ KB/.test(strict.out) ? 1024 : 1);
    assert.ok(growth > 0, strict.out);
    const tolerant = check(MODULE_LEAK, '--iterations', '4', '--max-growth', String(Math.ceil(growth * 4)));
    assert.equal(tolerant.code, 0, tolerant.out + tolerant.err);
    assert.match(tolerant.out, /PASS .*\(\d+ growing within --max-growth\)/);

    const dir = tempDir();
    const sarif = path.join(dir, 'error.sarif');
    const missing = check(path.join(dir, 'nope.js'), '--sarif', sarif);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /^ERROR .*nope\.js: no scenario file/m);
    const log = JSON.parse(fs.readFileSync(sarif, 'utf8')) as {
      runs: { invocations: { executionSuccessful: boolean }[] }[];
    };
    assert.deepEqual(sarifValidator()(log), []);
    assert.equal(log.runs[0].invocations[0].executionSuccessful, false);

    for (const args of [
      [],
      [CONTROL, '--max-growth', 'lots'],
      [CONTROL, '--iterations', '1'],
      [CONTROL, '--frobnicate'],
    ]) {
      const r = check(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /heaplens check: .*\nusage:/);
    }
  },
);
