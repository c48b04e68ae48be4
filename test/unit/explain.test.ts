// The sentence rules (src/core/leaks/explain.ts, SENTENCE_RULES), each on a hand-made graph
// built for it: the holder the sentence names, its pattern, and the variable it is reached
// from. A guard checks that every rule that names a holder was exercised here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { shortestRetainerPath } from '../../src/core/paths';
import { chainText, explainLeak, LeakPattern, SENTENCE_RULES } from '../../src/core/leaks/explain';
import { GraphBuilder } from '../helpers/graphs';

function analyzed(b: GraphBuilder): HeapAnalysis {
  const p = new SnapshotParser();
  p.write(b.json());
  return analyze(p.end());
}

interface Case {
  name: string;
  /** Builds the graph under the global object; returns the kept object and the top of the new subtree. */
  build(b: GraphBuilder, g: number): { kept: number; top?: number };
  pattern: LeakPattern;
  holder: string;
  mentions?: string[];
  /** How the sentence begins, when not "3 Thing objects (300 B) are kept alive by ". */
  starts?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'an array in a global',
    build: (b, g) => {
      const arr = b.node('Array');
      const x = b.node('Thing');
      b.edge(g, arr, 'property', 'things').edge(arr, x, 'element', 0);
      return { kept: x };
    },
    pattern: 'array',
    holder: 'the array `things`',
    mentions: ['the global `things`'],
  },
  {
    name: 'a Map entry',
    build: (b, g) => {
      const map = b.node('Map');
      const table = b.node('(object elements)', 'array');
      const x = b.node('Thing');
      b.edge(g, map, 'property', 'cache').edge(map, table, 'internal', 'table').edge(table, x, 'element', 3);
      return { kept: x };
    },
    pattern: 'map',
    holder: 'entries of the Map `cache`',
  },
  {
    name: 'an object used as a dictionary',
    build: (b, g) => {
      const d = b.node('Object');
      const x = b.node('Page');
      b.edge(g, d, 'property', 'pages').edge(d, x, 'property', '/p?id=1&t=9');
      return { kept: x };
    },
    pattern: 'dictionary',
    holder: 'the keys of the object `pages` used as a dictionary (keys such as "/p?id=1&t=9")',
  },
  {
    name: 'a listener on an EventEmitter',
    build: (b, g) => {
      const em = b.node('Bus');
      const events = b.node('Object');
      const fn = b.node('onTick', 'closure');
      const ctx = b.node('system / Context');
      const x = b.node('Widget');
      b.edge(g, em, 'property', 'bus')
        .edge(em, events, 'property', '_events')
        .edge(events, fn, 'property', 'tick')
        .edge(fn, ctx, 'internal', 'context')
        .edge(ctx, x, 'context', 'widget');
      return { kept: x, top: fn };
    },
    pattern: 'listener',
    holder: 'a listener for "tick" on the Bus `bus`',
  },
  {
    name: 'a listener on an EventTarget',
    build: (b, g) => {
      const et = b.node('EventTarget');
      const map = b.node('SafeMap');
      const x = b.node('Widget');
      b.edge(g, et, 'property', 'target')
        .edge(et, map, 'property', 'Symbol(kEvents)')
        .edge(map, x, 'internal', 'value');
      return { kept: x };
    },
    pattern: 'event-target',
    holder: 'a listener on the EventTarget `target`',
  },
  {
    name: 'an AsyncLocalStorage store',
    build: (b, g) => {
      const als = b.node('AsyncLocalStorage');
      const x = b.node('RequestScope');
      b.edge(g, als, 'property', 'storage').edge(als, x, 'property', 'store');
      return { kept: x };
    },
    pattern: 'async-local-storage',
    holder: 'an AsyncLocalStorage store',
  },
  {
    name: 'an active timer',
    build: (b, g) => {
      const list = b.node('TimersList');
      const t = b.node('Timeout');
      const fn = b.node('poll', 'closure');
      b.edge(g, list, 'property', 'timerList')
        .edge(list, t, 'property', '_idleNext')
        .edge(t, fn, 'property', '_onTimeout');
      return { kept: fn, top: t };
    },
    pattern: 'timer',
    holder: 'an active timer (setTimeout/setInterval) through its callback',
  },
  {
    name: 'a pending promise',
    build: (b, g) => {
      const p = b.node('Promise');
      const r = b.node('Reply');
      b.edge(g, p, 'property', 'pending').edge(p, r, 'internal', 'reactions');
      return { kept: r };
    },
    pattern: 'promise',
    holder: 'a pending promise `pending`',
  },
  {
    name: 'a bound function',
    build: (b, g) => {
      const f = b.node('bound handle', 'closure');
      const x = b.node('Client');
      b.edge(g, f, 'property', 'onEvent').edge(f, x, 'internal', 'bound_this');
      return { kept: x };
    },
    pattern: 'bound-function',
    holder: 'the bound function `handle`',
  },
  {
    name: 'a closure variable',
    build: (b, g) => {
      const fn = b.node('flush', 'closure');
      const ctx = b.node('system / Context');
      const x = b.node('Batch');
      b.edge(g, fn, 'property', 'flusher')
        .edge(fn, ctx, 'internal', 'context')
        .edge(ctx, x, 'context', 'pending');
      return { kept: x };
    },
    pattern: 'closure',
    holder: 'the variable `pending` in the closure of `flush`',
    mentions: ['reached from the global `flusher`'],
  },
  {
    name: 'a static field',
    build: (b, g) => {
      const cls = b.node('Registry', 'closure');
      const x = b.node('Entry');
      b.edge(g, cls, 'property', 'Registry').edge(cls, x, 'property', 'last');
      return { kept: x };
    },
    pattern: 'static-field',
    holder: 'the static field `last` of class `Registry`',
  },
  {
    name: 'a field of an Error',
    build: (b, g) => {
      const e = b.node('Error');
      const x = b.node('Book');
      b.edge(g, e, 'property', 'ParseError').edge(e, x, 'property', 'lastBook');
      return { kept: x };
    },
    pattern: 'error-field',
    holder: 'the `lastBook` field of the Error `ParseError`',
  },
  {
    name: "V8's global symbol registry (Symbol.for)",
    build: (b) => {
      const strong = b.node('(Strong roots)', 'synthetic');
      const table = b.node('', 'array');
      const key = b.node('cache:/items/7', 'string');
      const symbol = b.node('symbol', 'symbol');
      b.edge(0, strong, 'element', 4)
        .edge(strong, table, 'internal', 'public_symbol_table')
        .edge(table, key, 'internal', 5)
        .edge(table, symbol, 'internal', 6)
        .edge(symbol, key, 'internal', 'name');
      return { kept: key };
    },
    pattern: 'symbol-registry',
    holder:
      'the global symbol registry, which keeps every key given to Symbol.for(…), with its symbol, for the life of the process',
    starts: /^3 `Thing` symbols \(300 B\), such as Symbol\.for\("cache:\/items\/7"\), are kept alive by /,
  },
  {
    name: 'a global',
    build: (b, g) => {
      const x = b.node('Trace');
      b.edge(g, x, 'property', '__lastTrace');
      return { kept: x };
    },
    pattern: 'global',
    holder: 'the global `__lastTrace`',
  },
];

for (const c of CASES) {
  test(`sentence rule: ${c.name}`, () => {
    const b = new GraphBuilder();
    const g = b.global();
    const { kept, top } = c.build(b, g);
    const a = analyzed(b);
    const path = shortestRetainerPath(a, kept)!;
    assert.ok(path, 'the kept object is reachable');
    const keptFrom = top === undefined ? undefined : path.nodes.indexOf(top);
    const e = explainLeak({ analysis: a, path, count: 3, name: 'Thing', retainedSize: 300, keptFrom });
    assert.equal(e.pattern, c.pattern, e.sentence);
    assert.equal(e.holder, c.holder, e.sentence);
    assert.match(e.sentence, c.starts ?? /^3 Thing objects \(300 B\) are kept alive by /);
    for (const m of c.mentions ?? []) assert.ok(e.sentence.includes(m), `"${m}" in: ${e.sentence}`);
  });
}

test('every sentence rule that names a holder has a case', () => {
  const covered = new Set(CASES.map((c) => c.pattern));
  const named = SENTENCE_RULES.filter((r) => !r.skip && !r.anchor).map((r) => r.pattern);
  assert.ok(named.length >= 12, 'the table is the one these tests were written for');
  assert.deepEqual(
    named.filter((p) => !covered.has(p)),
    [],
  );
});

test('an exported binding is the anchor: "`X` exported by the module books.js"', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const cache = b.node('Object');
  const mod = b.node('Module');
  const exports = b.node('Object');
  const err = b.node('Error');
  const arr = b.node('Array');
  const x = b.node('Book');
  b.edge(g, cache, 'property', '_cache')
    .edge(cache, mod, 'property', '/app/books.js')
    .edge(mod, exports, 'property', 'exports')
    .edge(exports, err, 'property', 'ParseBookError')
    .edge(err, arr, 'property', 'reasons')
    .edge(arr, x, 'element', 1);
  const a = analyzed(b);
  const e = explainLeak({
    analysis: a,
    path: shortestRetainerPath(a, x)!,
    count: 2,
    name: 'Book',
    retainedSize: 64,
  });
  assert.equal(
    e.sentence,
    '2 Book objects (64 B) are kept alive by the array `reasons` on the Error `ParseBookError`, reached from `ParseBookError` exported by the module books.js.',
  );
});

test('closures are named by their function, and the rest a cause keeps is listed', () => {
  const b = new GraphBuilder();
  const g = b.global();
  const arr = b.node('Array');
  const fn = b.node('onMessage', 'closure');
  b.edge(g, arr, 'property', 'handlers').edge(arr, fn, 'element', 0);
  const a = analyzed(b);
  const e = explainLeak({
    analysis: a,
    path: shortestRetainerPath(a, fn)!,
    count: 40,
    name: 'onMessage',
    retainedSize: 2048,
    closures: true,
    alsoKeeps: [
      { className: 'IncomingMessage', count: 40 },
      { className: 'Socket', count: 40 },
    ],
  });
  assert.equal(
    e.sentence,
    '40 `onMessage` closures (2.0 KB) are kept alive by the array `handlers`, reached from the global `handlers`; also keeps: IncomingMessage ×40, Socket ×40.',
  );
});

test('a chain names its repeating link', () => {
  const b = new GraphBuilder();
  const older = b.node('Thing');
  const fn = b.node('unused', 'closure');
  const ctx = b.node('system / Context');
  const newer = b.node('Thing');
  b.edge(newer, fn, 'property', 'someMethod')
    .edge(fn, ctx, 'internal', 'context')
    .edge(ctx, older, 'context', 'original');
  const a = analyzed(b);
  const link = {
    nodes: [newer, fn, ctx, older],
    edges: [0, 1, 2].map((i) => a.snapshot.firstEdge[[newer, fn, ctx][i]]),
  };
  assert.equal(
    chainText(a, { chain: { link, length: 5 }, name: 'Thing' }),
    '; each Thing keeps the one before it through the variable `original` captured by `unused`',
  );
});

test("a package's own closure variable is passed for the user's variable above it", () => {
  // action (the user's) captures fetchProfile = memoized (mem's), which captures opts → cache.
  const b = new GraphBuilder();
  const g = b.global();
  const closure = (name: string, file: string): number => {
    const fn = b.node(name, 'closure');
    const shared = b.node('(shared function info)', 'code');
    const script = b.node(file, 'code');
    b.edge(fn, shared, 'internal', 'shared').edge(shared, script, 'internal', 'script_or_debug_info');
    return fn;
  };
  const action = closure('action', '/app/profiles.js');
  const userCtx = b.node('system / Context');
  const memoized = closure('memoized', '/app/node_modules/mem/index.js');
  const memCtx = b.node('system / Context');
  const opts = b.node('Object');
  const map = b.node('Map');
  const table = b.node('(object elements)', 'array');
  const x = b.node('Profile');
  b.edge(g, action, 'property', 'action')
    .edge(action, userCtx, 'internal', 'context')
    .edge(userCtx, memoized, 'context', 'fetchProfile')
    .edge(memoized, memCtx, 'internal', 'context')
    .edge(memCtx, opts, 'context', 'opts')
    .edge(opts, map, 'property', 'cache')
    .edge(map, table, 'internal', 'table')
    .edge(table, x, 'element', 1);
  const a = analyzed(b);
  const e = explainLeak({
    analysis: a,
    path: shortestRetainerPath(a, x)!,
    count: 2,
    name: 'Profile',
    retainedSize: 64,
  });
  assert.equal(
    e.sentence,
    '2 Profile objects (64 B) are kept alive by entries of the Map `cache`, reached from the variable `fetchProfile` captured by `action`.',
  );
});

/** Node's registry down to a module's exported function: `_cache` → "/app/<file>" → Module → exports → fn. */
function exportedFunction(b: GraphBuilder, g: number, file: string, fnName: string): number {
  const cache = b.node('Object');
  const mod = b.node('Module');
  const exports = b.node('Object');
  const fn = b.node(fnName, 'closure');
  b.edge(g, cache, 'property', '_cache')
    .edge(cache, mod, 'property', file)
    .edge(mod, exports, 'property', 'exports')
    .edge(exports, fn, 'property', fnName);
  return fn;
}

test("a variable of the module's own top level is the module's, not the closure's that V8 reached it through", () => {
  const b = new GraphBuilder();
  const g = b.global();
  const action = exportedFunction(b, g, '/app/chain-next.js', 'action');
  const ctx = b.node('system / Context');
  const x = b.node('LogRecord');
  b.edge(action, ctx, 'internal', 'context').edge(ctx, x, 'context', 'head');
  const a = analyzed(b);
  const e = explainLeak({
    analysis: a,
    path: shortestRetainerPath(a, x)!,
    count: 2,
    name: 'LogRecord',
    retainedSize: 64,
  });
  assert.equal(
    e.sentence,
    '2 LogRecord objects (64 B) are kept alive by the variable `head` of the module chain-next.js.',
  );
});

test("one signal following another: the holder is the one above the kept objects, reached from the user's variable", () => {
  // shutdown.signal → Listener (new) → abort → ac.signal → Listener → (closure) → requestObject.
  const b = new GraphBuilder();
  const g = b.global();
  const setup = exportedFunction(b, g, '/app/fetcher.js', 'setup');
  const ctx = b.node('system / Context');
  b.edge(setup, ctx, 'internal', 'context');
  const signalBelow = (from: number, edge: string, type: string): number => {
    const controller = b.node('AbortController');
    const signal = b.node('EventTarget');
    const events = b.node('Map');
    const table = b.node('(object elements)', 'array');
    const listener = b.node('Listener');
    b.edge(from, controller, type, edge)
      .edge(controller, signal, 'property', '#signal')
      .edge(signal, events, 'property', '<symbol kEvents>')
      .edge(events, table, 'internal', 'table')
      .edge(table, listener, 'element', 6);
    return listener;
  };
  const top = signalBelow(ctx, 'shutdown', 'context');
  const abort = b.node('abort', 'closure');
  const abortCtx = b.node('system / Context');
  b.edge(top, abort, 'property', 'listener').edge(abort, abortCtx, 'internal', 'context');
  const inner = signalBelow(abortCtx, 'ac', 'context');
  const handler = b.node('', 'closure');
  const handlerCtx = b.node('system / Context');
  const request = b.node('Request');
  b.edge(inner, handler, 'property', 'listener')
    .edge(handler, handlerCtx, 'internal', 'context')
    .edge(handlerCtx, request, 'context', 'requestObject');
  const a = analyzed(b);
  const path = shortestRetainerPath(a, request)!;
  const e = explainLeak({
    analysis: a,
    path,
    count: 40,
    name: 'Request',
    retainedSize: 4096,
    keptFrom: path.nodes.indexOf(top),
  });
  assert.equal(
    e.sentence,
    '40 Request objects (4.0 KB) are kept alive by a listener on the EventTarget `#signal`, reached from the variable `shutdown` of the module fetcher.js.',
  );
});

test('objects kept in a suspended async function are said to be, however the path reaches its state', () => {
  // A pending promise's reaction → the closure that resumes the function → its Generator.
  const b = new GraphBuilder();
  const g = b.global();
  const promise = b.node('Promise');
  const reaction = b.node('system / PromiseReaction', 'hidden');
  const resume = b.node('', 'closure');
  const ctx = b.node('system / Context');
  const gen = b.node('Generator');
  const regs = b.node('(object elements)', 'array');
  const doc = b.node('DraftDocument');
  b.edge(g, promise, 'property', 'dbReady')
    .edge(promise, reaction, 'internal', 'reactions_or_result')
    .edge(reaction, resume, 'internal', '1')
    .edge(resume, ctx, 'internal', 'context')
    .edge(ctx, gen, 'internal', 'extension')
    .edge(gen, regs, 'internal', 'parameters_and_registers')
    .edge(regs, doc, 'element', 3);
  const a = analyzed(b);
  const path = shortestRetainerPath(a, doc)!;
  const e = explainLeak({
    analysis: a,
    path,
    count: 5,
    name: 'DraftDocument',
    retainedSize: 500,
    keptFrom: path.nodes.indexOf(resume),
  });
  assert.match(
    e.sentence,
    /^5 DraftDocument objects \(500 B\) in suspended async functions are kept alive by a pending promise, reached from the global `dbReady`\.$/,
  );
});

test("a dictionary's own keys, kept after their values were cleared, are counted as its keys", () => {
  // module.exports.scheduledJobs[name] = null: the key strings stay in the property table.
  const b = new GraphBuilder();
  const g = b.global();
  const cache = b.node('Object');
  const mod = b.node('Module');
  const exports = b.node('Object');
  const jobs = b.node('Object');
  const table = b.node('(object properties)', 'array');
  const key = b.node('reminder-for-order-7', 'string');
  b.edge(g, cache, 'property', '_cache')
    .edge(cache, mod, 'property', '/app/node_modules/node-schedule/lib/schedule.js')
    .edge(mod, exports, 'property', 'exports')
    .edge(exports, jobs, 'property', 'scheduledJobs')
    .edge(jobs, table, 'internal', 'properties')
    .edge(table, key, 'internal', '39');
  const a = analyzed(b);
  const e = explainLeak({
    analysis: a,
    path: shortestRetainerPath(a, key)!,
    count: 5000,
    name: 'scheduledJobs',
    retainedSize: 400_000,
  });
  assert.equal(
    e.sentence,
    '5,000 `scheduledJobs` keys (391 KB) are kept alive by the object `scheduledJobs` used as a dictionary (a key stays until it is deleted, whatever its value), reached from `scheduledJobs` exported by the module schedule.js.',
  );
});

test('a rope of `+=` is said as such, not as "keeps the one before it through its `first`"', () => {
  const b = new GraphBuilder();
  const older = b.node('[a] step 1', 'concatenated string');
  const newer = b.node('[a] step 1[b] step 2', 'concatenated string');
  b.edge(newer, older, 'internal', 'first');
  const a = analyzed(b);
  const link = { nodes: [newer, older], edges: [a.snapshot.firstEdge[newer]] };
  assert.equal(
    chainText(a, { chain: { link, length: 600 }, name: 'traceLog' }),
    '; each `+=` made a new string that keeps the whole one before it (V8 keeps joined strings as a rope of their pieces)',
  );
});
