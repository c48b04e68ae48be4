// Caller frames to their call statement, in code as compilers emit it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCallStatement } from '../../src/core/leaks/statement';

test('a call through a compiled import, (0, mod.fn)(…), is found as the call to fn', () => {
  // What esbuild and tsc emit for `import { enqueue } from './outbox'; … enqueue(to, body);`.
  const source = [
    'function action() {',
    '  for (let i = 0; i < 200; i++) {',
    '    const to = { id: i };',
    '    (0, import_outbox.enqueue)(to, "body");',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(findCallStatement(source, 1, 16, 'enqueue'), { line: 4, column: 5, how: 'call' });
  // No such call: the function's own line, said so.
  assert.equal(findCallStatement(source, 1, 16, 'dequeue')?.how, 'function');
});
