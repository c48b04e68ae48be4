// Caller frames at their statements: the call that leads to the next frame, by any name V8
// inferred for it, `new`, `super(…)`, and a package's export called under a local name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  callbackName,
  calleeNames,
  findAllocatingStatement,
  findCallStatement,
} from '../../src/core/leaks/statement';

const SOURCE = [
  "const debug = require('debug');", // 1
  "const emitter = require('component-emitter');", // 2
  'class Base { constructor() { this.a = 1; } }', // 3
  'class Sub extends Base {', // 4
  '  constructor() {', // 5
  '    super();', // 6
  '  }', // 7
  '}', // 8
  'function run(id) {', // 9
  '  const items = [];', // 10
  '  items.push(id);', // 11
  '  const log = debug(`job:${id}`);', // 12
  "  emitter.on('x', () => log(id));", // 13
  '  return new Sub();', // 14
  '}', // 15
].join('\n');

test('V8 inferred names give every name a function is called by', () => {
  assert.deepEqual(calleeNames('Emitter.on.Emitter.addEventListener'), [
    'addEventListener',
    'Emitter',
    'on',
    'Emitter',
  ]);
  assert.deepEqual(calleeNames('get size'), ['size']);
  assert.deepEqual(calleeNames('Foo.prototype.#bar'), ['bar', 'Foo']);
});

test('a caller frame resolves to its call, `new` or `super(…)`', () => {
  // run starts at line 9, column 13 (its parameter list, as V8 records).
  assert.deepEqual(findCallStatement(SOURCE, 9, 13, 'Emitter.on.Emitter.addEventListener'), {
    line: 13,
    column: 3,
    how: 'call',
  });
  assert.deepEqual(findCallStatement(SOURCE, 9, 13, 'Sub'), { line: 14, column: 10, how: 'call' });
  assert.deepEqual(findCallStatement(SOURCE, 5, 14, 'Base'), { line: 6, column: 5, how: 'super' });
});

test('a package export under another local name: the one call to a module binding, only into another file', () => {
  assert.deepEqual(
    findCallStatement(
      SOURCE.replace("  emitter.on('x', () => log(id));\n", '  void 0;\n'),
      9,
      13,
      'createDebug',
      true,
    ),
    { line: 12, column: 15, how: 'call' },
  );
  // Two calls to module bindings: no guess, the function itself (said so).
  assert.equal(findCallStatement(SOURCE, 9, 13, 'createDebug', true)?.how, 'function');
  assert.equal(findCallStatement(SOURCE, 9, 13, 'createDebug', false)?.how, 'function');
});

test('a string is made where text is joined: `+=`, `+`, a template with values, not the function line', () => {
  const source = [
    "let traceLog = '';", // 1
    'function trace(id, step) {', // 2
    "  const when = 'at ' + id;", // 3
    '  traceLog += `[${when}] step ${step}\\n`;', // 4
    '}', // 5
    'function label(id) {', // 6
    '  return `order-${id}`;', // 7
    '}', // 8
  ].join('\n');
  // V8 records the function's start: `trace` at its parameter list (2, 15), `label` at (6, 15).
  assert.deepEqual(findAllocatingStatement(source, 2, 15, { className: '(concatenated string)' }), {
    line: 3,
    column: 16,
    how: 'literal',
  });
  assert.deepEqual(findAllocatingStatement(source, 6, 15, { className: '(string)' }), {
    line: 7,
    column: 10,
    how: 'literal',
  });
});

test('a grown container resolves to the statement that adds to it, by the name it is held by', () => {
  const source = [
    'const stats = { cpu: [] };', // 1
    'const seen = new Set();', // 2
    'const counts = {};', // 3
    'function observe(id, x) {', // 4
    "  const parts = String(x).split('.');", // 5
    '  stats.cpu.push(parts.length + x);', // 6
    '  seen.add(id);', // 7
    '  counts[id] = x;', // 8
    '}', // 9
  ].join('\n');
  const at = (holder: string) => findAllocatingStatement(source, 4, 17, { className: 'Array', holder });
  assert.deepEqual(at('cpu'), { line: 6, column: 3, how: 'call' });
  assert.deepEqual(at('seen'), { line: 7, column: 3, how: 'call' });
  assert.deepEqual(at('counts'), { line: 8, column: 3, how: 'call' });
  // A name nothing in the function adds to: the function itself, as before.
  assert.deepEqual(at('other'), { line: 4, column: 1, how: 'function' });
});

test("an anonymous callback is named by the call it is passed to, not by V8's guess (`pMap.concurrency`)", () => {
  const source = [
    'async function run(skus) {',
    '  return pMap(skus, async (sku) => new PriceQuote(sku), { concurrency: 2 });',
    '}',
    'const onTick = () => tick();',
    'items.forEach(function named(x) { use(x); });',
  ].join('\n');
  // V8 puts an arrow's start at its parameter list.
  assert.equal(callbackName(source, 2, 27), '(anonymous, passed to `pMap`)');
  assert.equal(callbackName(source, 4, 16), null, 'named by its variable');
  assert.equal(callbackName(source, 5, 23), null, 'named in the source');
  assert.equal(callbackName(source, 1, 20), null, 'a declaration');
});
