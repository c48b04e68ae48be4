// node --test examples/testing/sessions.test.mjs
// assertNoLeak runs openSession in a child process under the inspector (loaded there from
// the module named by `module`), 6 times with a heap snapshot after each, and fails with the
// leak's sentence and allocating line if something keeps growing.
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { assertNoLeak } from 'heaplens/test';

const require = createRequire(import.meta.url);
const sessionsModule = require.resolve('./sessions.js');
const { openSession } = require(sessionsModule);

test('opening a session does not leak', { timeout: 120_000 }, async () => {
  await assertNoLeak(openSession, { module: sessionsModule, iterations: 6 });
});
