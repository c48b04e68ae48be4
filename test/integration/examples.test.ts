// Every example through the real CLI against a real Node child process: each leak is in
// the top 3 with the right allocation line and an expected edge on its retainer path; each
// control reports nothing allocated in its own file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, REPO, tempDir } from '../helpers/snapshots';
import type { LeakReport } from '../../src/core/report';

const run = promisify(execFile);

interface Expectation {
  scenario: string;
  kind: 'leak' | 'control';
  pattern: string;
  className: string;
  allocation: { file: string; line: number };
  retainerEdge?: string;
  retainerEdgeAlternatives?: string[];
  expectedSentenceMentions?: string[];
}

const expectations: Expectation[] = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', 'expectations.json'), 'utf8')).scenarios;

async function hunt(scenario: string): Promise<LeakReport> {
  const out = path.join(tempDir(), `${path.basename(path.dirname(scenario))}-${path.basename(scenario)}.json`);
  await run(process.execPath, [CLI, 'find-leaks', scenario, '--json', out, '--quiet'], { cwd: REPO, timeout: 180_000, maxBuffer: 64 << 20 });
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

test('examples', { concurrency: 2 }, async (t) => {
  execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(REPO, 'examples', 'ts-leak')]);
  for (const ex of expectations) {
    await t.test(`${ex.kind} ${ex.pattern} (${ex.scenario})`, async () => {
      const report = await hunt(ex.scenario);
      const file = path.join(REPO, ex.allocation.file);
      if (ex.kind === 'control') {
        const own = report.leaks.filter((l) => l.allocationSites.some((s) => s.path === file));
        assert.deepEqual(own.map((l) => l.explanation), [], 'a control reports nothing from its own file');
        return;
      }
      const top = report.leaks.slice(0, 3);
      const leak = top.find((l) => l.name === ex.className);
      assert.ok(leak, `${ex.className} is not in the top 3: ${top.map((l) => l.name).join(', ') || 'no leaks'}`);
      const site = leak.allocationSites[0];
      assert.ok(site, 'the leak has an allocation site');
      assert.equal(site.path, file, 'allocation file');
      assert.equal(site.line, ex.allocation.line, 'allocation line');
      const edges = leak.retainerPath.map((s) => s.edge);
      const wanted = [ex.retainerEdge, ...(ex.retainerEdgeAlternatives ?? [])].filter(Boolean);
      assert.ok(wanted.some((w) => edges.includes(w!)), `none of ${wanted.join(', ')} on the path ${edges.join(' → ')}`);
      assert.match(leak.explanation, new RegExp(`^[\\d,]+ ${ex.className.replace(/[^\w]/g, '.')} objects? `));
      const mentions = ex.expectedSentenceMentions ?? [];
      assert.ok(mentions.length === 0 || mentions.some((m) => leak.explanation.includes(m)), `the sentence names none of ${mentions.join(', ')}: ${leak.explanation}`);
    });
  }
});
