// Words a person knows in a leak's sentence and path, each on a hand-made graph shaped as V8
// and Node lay the real thing out: bound functions (`native_bind`), Node's `once` wrappers,
// `process` reached through Node's global functions, an AbortSignal made as an EventTarget,
// a WeakMap's value, and the name of a leak of plain objects in a class's container.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { shortestRetainerPath } from '../../src/core/paths';
import { chainText, explainLeak, ExplainInput } from '../../src/core/leaks/explain';
import { foldPath } from '../../src/core/leaks/fold';
import { alsoKept, containerOwnerClass } from '../../src/core/leaks/naming';
import { closureName } from '../../src/core/describe';
import { GraphBuilder } from '../helpers/graphs';

function analyzed(b: GraphBuilder): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(b.json());
  return analyze(p.end());
}

/** The sentence for `kept` (3 of `name`), the kept subtree starting at `top`. */
function sentence(b: GraphBuilder, kept: number, top?: number, more: Partial<ExplainInput> = {}): string {
  const a = analyzed(b);
  const path = shortestRetainerPath(a, kept)!;
  assert.ok(path, 'the kept object is reachable');
  const keptFrom = top === undefined ? undefined : path.nodes.indexOf(top);
  return explainLeak({ analysis: a, path, count: 3, name: 'Job', retainedSize: 300, keptFrom, ...more })
    .sentence;
}

/** A closure with a context that holds `value` as the variable `name`. */
function capturing(b: GraphBuilder, fn: string, name: string, value: number): number {
  const f = b.node(fn, 'closure');
  const ctx = b.node('system / Context');
  b.edge(f, ctx, 'internal', 'context').edge(ctx, value, 'context', name);
  return f;
}

/** `fn.bind(state)` as V8 12 writes it: a closure named `native_bind`. */
function bound(b: GraphBuilder, target: string): number {
  const f = b.node('native_bind', 'closure');
  b.edge(f, b.node(target, 'closure'), 'internal', 'bound_function');
  return f;
}

test('a bound function V8 names `native_bind` is `bound f`, after the function it binds', () => {
  const b = new GraphBuilder();
  const f = bound(b, 'onceWrapper');
  const twice = b.node('native_bind', 'closure');
  b.edge(twice, f, 'internal', 'bound_function');
  const a = analyzed(b);
  assert.equal(closureName(a, f), 'bound onceWrapper');
  assert.equal(closureName(a, twice), 'bound bound onceWrapper');
});

test("Node's `once` wrapper is the listener's plumbing, not a class's static field", () => {
  // queue._events.drain[0] = bound onceWrapper, whose `listener` is the real one.
  const b = new GraphBuilder();
  const g = b.global();
  const queue = b.node('EventEmitter');
  const events = b.node('Object');
  const list = b.node('Array');
  const wrapper = bound(b, 'onceWrapper');
  const job = b.node('Job');
  const listener = capturing(b, 'onDrain', 'job', job);
  b.edge(g, queue, 'property', 'queue')
    .edge(queue, events, 'property', '_events')
    .edge(events, list, 'property', 'drain')
    .edge(list, wrapper, 'element', 0)
    .edge(wrapper, listener, 'property', 'listener');
  const text = sentence(b, job, wrapper);
  assert.equal(
    text,
    '3 Job objects (300 B) are kept alive by a listener for "drain" on the EventEmitter `queue` through closures that capture `job`, reached from the global `queue`.',
  );
});

/** global → queueMicrotask() → its scope → `process`, as Node's bootstrap leaves it. */
function processThroughNode(b: GraphBuilder): number {
  const g = b.global();
  const proc = b.node('process');
  b.edge(g, capturing(b, 'queueMicrotask', 'process', proc), 'property', 'queueMicrotask');
  return proc;
}

test('`process` reached through the scope of a global function of Node is `process`', () => {
  const b = new GraphBuilder();
  const proc = processThroughNode(b);
  const events = b.node('Object');
  const list = b.node('Array');
  const job = b.node('Job');
  const listener = capturing(b, '', 'job', job);
  b.edge(proc, events, 'property', '_events')
    .edge(events, list, 'property', 'beforeExit')
    .edge(list, listener, 'element', 0);
  const a = analyzed(b);
  const path = shortestRetainerPath(a, job)!;
  const folded = foldPath(a, path);
  assert.equal(folded[1].label, 'process');
  assert.equal(folded[1].kind, 'global');
  assert.equal(
    sentence(b, job, listener),
    '3 Job objects (300 B) are kept alive by a listener for "beforeExit" on `process` through closures that capture `job`.',
  );
});

test('an anonymous function stored on `process` is `process.cwd`, and its property is the anchor', () => {
  // process.cwd = function () { … origCwd.call(process) … }, once per load of a package.
  const b = new GraphBuilder();
  const proc = processThroughNode(b);
  const older = b.node('', 'closure');
  const newest = capturing(b, '', 'origCwd', older);
  b.edge(proc, newest, 'property', 'cwd');
  const text = sentence(b, older, older, { name: '(anonymous) in polyfills.js', closures: true });
  assert.equal(
    text,
    '3 `(anonymous) in polyfills.js` closures (300 B) are kept alive by the variable `origCwd` in the closure of `process.cwd`, reached from `process.cwd`.',
  );
});

test('a global accessor is named as the program reads it: `get tracker` is the global `tracker`', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const job = b.node('Job');
  b.edge(g, job, 'property', 'get tracker');
  assert.equal(sentence(b, job), '3 Job objects (300 B) are kept alive by the global `tracker`.');
});

test('an object made as an EventTarget and given AbortSignal.prototype is an AbortSignal', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const baseProto = b.node('EventTarget');
  const signalProto = b.node('AbortSignal');
  const signal = b.node('EventTarget');
  const listeners = b.node('Map');
  const job = b.node('Job');
  b.edge(signalProto, baseProto, 'property', '__proto__')
    .edge(signal, signalProto, 'property', '__proto__')
    .edge(g, signal, 'property', 'signal')
    .edge(signal, listeners, 'property', '<symbol kEvents>')
    .edge(listeners, job, 'internal', 'value');
  assert.equal(
    sentence(b, job),
    '3 Job objects (300 B) are kept alive by a listener on the AbortSignal `signal`, reached from the global `signal`.',
  );
});

test('an object whose prototype is named otherwise (`process`, an EventEmitter) keeps its own class', () => {
  const b = new GraphBuilder();
  const proc = processThroughNode(b);
  b.edge(proc, b.node('EventEmitter'), 'property', '__proto__');
  const events = b.node('Object');
  const list = b.node('Array');
  const job = b.node('Job');
  b.edge(proc, events, 'property', '_events')
    .edge(events, list, 'property', 'exit')
    .edge(list, job, 'element', 0);
  assert.match(sentence(b, job), /on `process`/);
});

test('a WeakMap value is said as the value its key keeps, not as a bare array', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const app = b.node('Object');
  const map = b.node('WeakMap');
  const table = b.node('', 'array');
  const values = b.node('Array');
  const job = b.node('Job');
  // V8 writes an entry as two edges of one name into the value: from the table and from the key.
  const pair = `3 / part of key (Object @${b.id(app)}) -> value (Array @${b.id(values)}) pair in WeakMap (table @${b.id(table)})`;
  b.edge(g, map, 'property', 'trail')
    .edge(map, table, 'internal', 'table')
    .edge(table, values, 'internal', pair)
    .edge(values, job, 'element', 0)
    .edge(g, app, 'property', 'app')
    .edge(app, values, 'internal', pair);
  const text = sentence(b, job);
  assert.match(
    text,
    /kept alive by the array that the WeakMap `trail` keeps for a key that is still alive \(an Object\)/,
  );
});

test('plain objects in the container of a class a person knows are its entries, with a key as example', () => {
  // prom-client: counter.hashMap["path:/users/7/profile,"] = { value, labels }.
  const b = new GraphBuilder();
  const g = b.global();
  const counter = b.node('Counter');
  const hashMap = b.node('Object');
  const entry = b.node('Object');
  b.edge(g, counter, 'property', 'requests')
    .edge(counter, hashMap, 'property', 'hashMap')
    .edge(hashMap, entry, 'property', 'path:/users/7/profile,');
  const a = analyzed(b);
  const path = shortestRetainerPath(a, entry)!;
  assert.equal(containerOwnerClass(a, path), 'Counter');
  assert.equal(
    sentence(b, entry, undefined, { name: 'Counter', entries: true }),
    '3 Counter entries (300 B) are kept alive by the keys of the object `hashMap` used as a dictionary (keys such as "path:/users/7/profile,"), reached from the global `requests`.',
  );
});

test('plain objects in a module-level dictionary have no owner class to be named after', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const cache = b.node('Object');
  const entry = b.node('Object');
  b.edge(g, cache, 'property', 'cache').edge(cache, entry, 'property', '/a?t=1');
  const a = analyzed(b);
  assert.equal(containerOwnerClass(a, shortestRetainerPath(a, entry)!), null);
});

test("a settled promise is its value's box: the holder is the Map above it (dataloader's cache)", () => {
  const b = new GraphBuilder();
  const g = b.global();
  const map = b.node('Map');
  const table = b.node('', 'array');
  const promise = b.node('Promise');
  const user = b.node('Job');
  b.edge(g, map, 'property', 'cache')
    .edge(map, table, 'internal', 'table')
    .edge(table, promise, 'internal', 3)
    .edge(promise, user, 'internal', 'reactions_or_result');
  assert.equal(
    sentence(b, user, promise),
    '3 Job objects (300 B) are kept alive by entries of the Map `cache` as the values of settled promises, reached from the global `cache`.',
  );
});

test("a package's private record between the holder and the objects is named as the package's", () => {
  const b = new GraphBuilder();
  const g = b.global();
  const hub = b.node('EventEmitter');
  const events = b.node('Events');
  const list = b.node('Array');
  const ctor = b.node('EE', 'closure');
  const shared = b.node('(shared function info)', 'code');
  const proto = b.node('EE');
  b.edge(ctor, shared, 'internal', 'shared')
    .edge(
      shared,
      b.node('/app/node_modules/eventemitter3/index.js', 'code'),
      'internal',
      'script_or_debug_info',
    )
    .edge(proto, ctor, 'property', 'constructor');
  const record = b.node('EE');
  const job = b.node('Job');
  b.edge(g, hub, 'property', 'hub')
    .edge(hub, events, 'property', '_events')
    .edge(events, list, 'property', 'config')
    .edge(list, record, 'element', 0)
    .edge(record, proto, 'property', '__proto__')
    .edge(record, job, 'property', 'context');
  assert.match(sentence(b, job, record), /on the EventEmitter `hub` through eventemitter3's `EE` records,/);
});

test('a Map in a field of a class instance is said with its owner, as the program reaches it', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const loader = b.node('DataLoader');
  const map = b.node('Map');
  const table = b.node('', 'array');
  const job = b.node('Job');
  b.edge(g, loader, 'property', 'users')
    .edge(loader, map, 'property', '_cacheMap')
    .edge(map, table, 'internal', 'table')
    .edge(table, job, 'internal', 3);
  assert.equal(
    sentence(b, job),
    '3 Job objects (300 B) are kept alive by entries of the Map `_cacheMap` on the DataLoader `users`, reached from the global `users`.',
  );
});

test('one container that grows is said by what grows: its entries an iteration, not "1 Set object"', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const seen = b.node('Set');
  b.edge(g, seen, 'property', 'seen');
  assert.equal(
    sentence(b, seen, undefined, { count: 1, name: 'seen', entriesPerIteration: 2000 }),
    '2,000 `seen` entries an iteration, added to the Set `seen` (300 B in all), are kept alive by the global `seen`.',
  );
  assert.equal(
    sentence(b, seen, undefined, { count: 1, name: 'Set' }),
    '1 Set `seen` (300 B), which keeps growing, is kept alive by the global `seen`.',
  );
});

test("a property of a plain function is no class's static field: the variable above it is the anchor", () => {
  // const client = axios.create(): a function `wrap` with a `defaults` property.
  const b = new GraphBuilder();
  const g = b.global();
  const job = b.node('Job');
  const list = b.node('Array');
  const wrap = b.node('wrap', 'closure');
  const defaults = b.node('Object');
  b.edge(g, capturing(b, 'setup', 'client', wrap), 'property', 'setup')
    .edge(wrap, defaults, 'property', 'defaults')
    .edge(defaults, list, 'property', 'queue')
    .edge(list, job, 'element', 0);
  const text = sentence(b, job);
  assert.doesNotMatch(text, /static field/);
  assert.match(text, /reached from the variable `client` captured by `setup`\.$/);
});

test('a chain through an anonymous method names it by its property', () => {
  const b = new GraphBuilder();
  const older = b.node('Snapshot');
  const newer = b.node('Snapshot');
  const describe = capturing(b, '', 'original', older);
  b.edge(newer, describe, 'property', 'describe');
  const a = analyzed(b);
  const link = {
    nodes: [newer, describe, describe + 1, older],
    edges: [newer, describe, describe + 1].map((n) => a.snapshot.firstEdge[n]),
  };
  assert.equal(
    chainText(a, { chain: { link, length: 4 }, name: 'Snapshot' }),
    '; each Snapshot keeps the one before it through the variable `original` captured by its `describe`',
  );
});

test("a Map a WeakMap keeps for a function (mem's cache per memoized function), through plain objects", () => {
  // The path reaches the Map from its key when the key is the farther of the two (an entry
  // lives once both its table and its key do), as in mem's real heap.
  const b = new GraphBuilder();
  const g = b.global();
  const store = b.node('WeakMap');
  const storeTable = b.node('', 'array');
  const holder = b.node('Object');
  const profiles = b.node('Object');
  const memoized = b.node('memoized', 'closure');
  const map = b.node('Map');
  const table = b.node('', 'array');
  const entry = b.node('Object');
  const job = b.node('Job');
  const pair = `9 / part of key (memoized @${b.id(memoized)}) -> value (Map @${b.id(map)}) pair in WeakMap (table @${b.id(storeTable)})`;
  b.edge(g, store, 'property', 'cacheStore')
    .edge(g, holder, 'property', 'api')
    .edge(store, storeTable, 'internal', 'table')
    .edge(holder, profiles, 'property', 'profiles')
    .edge(profiles, memoized, 'property', 'fetchProfile')
    .edge(storeTable, map, 'internal', pair)
    .edge(memoized, map, 'internal', pair)
    .edge(map, table, 'internal', 'table')
    .edge(table, entry, 'internal', 3)
    .edge(entry, job, 'property', 'data');
  assert.equal(
    sentence(b, job, entry),
    '3 Job objects (300 B) are kept alive by entries of the Map that a WeakMap keeps for a key that is still alive (the function `memoized`) through plain objects, reached from the global `api`.',
  );
});

test("timers kept in Node's own timer list are said so, with nothing of Node's plumbing above it", () => {
  // global → clearInterval() → its scope → timerListMap[600000] → TimersList → _idleNext → Timeout.
  const b = new GraphBuilder();
  const g = b.global();
  const lists = b.node('Object');
  const list = b.node('TimersList');
  const timer = b.node('Timeout');
  b.edge(g, capturing(b, 'clearInterval', 'timerListMap', lists), 'property', 'clearInterval')
    .edge(lists, list, 'element', 600000)
    .edge(list, timer, 'property', '_idleNext');
  assert.equal(
    sentence(b, timer, undefined, { name: 'Timeout' }),
    "3 Timeout objects (300 B) are kept alive by Node's list of pending timers (each a setTimeout or setInterval not yet fired or cleared).",
  );
});

test("'also keeps' names classes a person knows and leaves out Node's own closures", () => {
  // A leak of Jobs also keeps AbortSignals (made by Node as EventTargets, given the subclass's
  // prototype), Node's `abortListener` closures (script node:internal/...) and bound
  // `onceWrapper`s of them, and the program's own `onDone` closures.
  const b = new GraphBuilder();
  const g = b.global();
  const script = (name: string): number => b.node(name, 'code');
  const closureIn = (fn: string, file: string): number => {
    const f = b.node(fn, 'closure');
    const shared = b.node(fn, 'code');
    b.edge(f, shared, 'internal', 'shared').edge(shared, script(file), 'internal', 'script_or_debug_info');
    return f;
  };
  const signalProto = b.node('AbortSignal');
  const targetProto = b.node('EventTarget');
  b.edge(signalProto, targetProto, 'property', '__proto__').edge(g, signalProto, 'property', 'sp');
  const byClass = new Map<string, number[]>([
    ['EventTarget', []],
    ['abortListener', []],
    ['bound abortListener', []],
    ['onDone', []],
  ]);
  for (let i = 0; i < 3; i++) {
    const signal = b.node('EventTarget');
    b.edge(signal, signalProto, 'property', '__proto__').edge(g, signal, 'element', i);
    byClass.get('EventTarget')!.push(signal);
    const listener = closureIn('abortListener', 'node:internal/abort_controller');
    byClass.get('abortListener')!.push(listener);
    const boundOne = b.node('native_bind', 'closure');
    b.edge(boundOne, listener, 'internal', 'bound_function');
    byClass.get('bound abortListener')!.push(boundOne);
    byClass.get('onDone')!.push(closureIn('onDone', '/app/jobs.js'));
    for (const n of [listener, boundOne, byClass.get('onDone')![i]]) b.edge(g, n, 'element', 10 + n);
  }
  const a = analyzed(b);
  assert.deepEqual(
    alsoKept(a, byClass, 'Job', () => false),
    [
      { className: 'AbortSignal', count: 3 },
      { className: 'onDone', count: 3 },
    ],
  );
});
