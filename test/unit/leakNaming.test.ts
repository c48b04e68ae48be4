// Leak detection on hand-made heaps grown over four "iterations": what a leak is named
// after, one leak per cause, chains, and keyed containers with ever-new keys.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import { chainText } from '../../src/core/leaks/explain';
import { className } from '../../src/core/describe';
import { detectLeaks, leakName, LeakCandidateGroup } from '../../src/core/leaks/detect';
import { SnapshotDigest } from '../../src/core/leaks/digest';
import { GraphBuilder } from '../helpers/graphs';

const ITERATIONS = 4;
/** The heap the last `hunt` analysed, for the sentences' tests. */
let lastAnalysis: HeapAnalysis | undefined;

/** Builds the old heap with `setup`, then `grow` once per iteration; detects the leaks. */
function hunt(
  setup: (b: GraphBuilder, g: number) => Record<string, number>,
  grow: (b: GraphBuilder, old: Record<string, number>, k: number) => void,
): LeakCandidateGroup[] {
  const b = new GraphBuilder();
  const old = setup(b, b.global());
  const ends = [b.nodes.length - 1];
  for (let k = 0; k < ITERATIONS; k++) {
    grow(b, old, k);
    ends.push(b.nodes.length - 1);
  }
  const p = new SnapshotParser();
  p.write(b.json());
  const a = analyze(p.end());
  lastAnalysis = a;
  const digest = (last: number): SnapshotDigest => {
    const classCounts = new Map<string, number>();
    for (let i = 0; i <= last; i++)
      classCounts.set(className(a, i), (classCounts.get(className(a, i)) ?? 0) + 1);
    return { maxId: b.id(last), classCounts, classSizes: new Map(), totalSize: 0, nodeCount: last + 1 };
  };
  return detectLeaks(digest(ends[0]), ends.slice(1).map(digest), a);
}

test('closures are named by their function, not "Function"', () => {
  const leaks = hunt(
    (b, g) => {
      const arr = b.node('Array');
      b.edge(g, arr, 'property', 'handlers');
      return { arr };
    },
    (b, { arr }, k) => {
      for (let j = 0; j < 3; j++) b.edge(arr, b.node('onMessage', 'closure'), 'element', k * 3 + j);
    },
  );
  assert.equal(leaks.length, 1);
  assert.equal(leakName(leaks[0]), 'onMessage');
  assert.equal(leaks[0].members.length, 12);
});

test('a leak is named after the object kept, never a class it merely points to', () => {
  const leaks = hunt(
    (b, g) => {
      const arr = b.node('Array');
      b.edge(g, arr, 'property', 'requests');
      return { arr };
    },
    (b, { arr }, k) => {
      for (let j = 0; j < 2; j++) {
        const req = b.node('Request', 'object', 16);
        const body = b.node('HugeBody', 'object', 4096);
        b.edge(arr, req, 'element', k * 2 + j).edge(req, body, 'property', 'body');
      }
    },
  );
  assert.equal(leaks.length, 1);
  assert.equal(leaks[0].className, 'Request');
  assert.deepEqual(leaks[0].alsoKeeps, [{ className: 'HugeBody', count: 8 }]);
});

test('one cause keeping several classes is one leak, the rest "also kept"', () => {
  // Each response holds a socket that two responses share, so no response dominates it:
  // the sockets form their own family, reached only through responses.
  const leaks = hunt(
    (b, g) => {
      const arr = b.node('Array');
      b.edge(g, arr, 'property', 'responses');
      return { arr };
    },
    (b, { arr }, k) => {
      const socket = b.node('Socket', 'object', 64);
      for (let j = 0; j < 2; j++) {
        const res = b.node('IncomingMessage', 'object', 32);
        b.edge(arr, res, 'element', k * 2 + j).edge(res, socket, 'property', 'socket');
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => l.className).join(', '));
  assert.equal(leaks[0].className, 'IncomingMessage');
  assert.deepEqual(leaks[0].alsoKeeps, [{ className: 'Socket', count: 4 }]);
  assert.equal(leaks[0].retainedSize, 8 * 32 + 4 * 64);
});

test('a chain: each member keeps the previous one, and the path shown holds one whole link', () => {
  const leaks = hunt(
    (b, g) => {
      const holder = b.node('Registry');
      b.edge(g, holder, 'property', 'registry');
      return { holder, last: -1 };
    },
    (b, old) => {
      for (let j = 0; j < 2; j++) {
        const thing = b.node('Thing');
        const fn = b.node('unused', 'closure');
        const ctx = b.node('system / Context');
        b.edge(thing, fn, 'property', 'someMethod').edge(fn, ctx, 'internal', 'context');
        if (old.last >= 0) b.edge(ctx, old.last, 'context', 'original');
        old.last = thing;
      }
      // The registry points at the newest member only (its previous edge is replaced).
      const e = b.edges.find((x) => x.from === old.holder);
      if (e) e.to = old.last;
      else b.edge(old.holder, old.last, 'property', 'latest');
    },
  );
  assert.equal(leaks.length, 1);
  const g = leaks[0];
  assert.equal(g.className, 'Thing');
  assert.ok(g.chain, 'the chain is found');
  assert.equal(g.chain.length, 8);
  assert.deepEqual(g.chain.link.nodes.length, 4, 'Thing → unused() → context → Thing');
  const things = g.path.nodes.filter((n) => g.members.includes(n));
  // Up to the first link between members of different iterations (two are born per iteration).
  assert.ok(things.length >= 2 && things.length <= 3, `the path shown runs through ${things.length} members`);
});

test('a linked list grown at its tail is a chain too: each member keeps the one after it', () => {
  const leaks = hunt(
    (b, g) => {
      // The list's head is a module variable, captured by the module's exported function.
      const action = b.node('action', 'closure');
      const ctx = b.node('system / Context');
      const head = b.node('LogRecord');
      b.edge(g, action, 'property', 'action').edge(action, ctx, 'internal', 'context');
      b.edge(ctx, head, 'context', 'head');
      return { tail: head };
    },
    (b, old) => {
      for (let j = 0; j < 3; j++) {
        const record = b.node('LogRecord');
        b.edge(old.tail, record, 'property', 'next');
        old.tail = record;
      }
    },
  );
  assert.equal(leaks.length, 1);
  const g = leaks[0];
  assert.ok(g.chain, 'the chain is found');
  assert.equal(g.chain.length, 12);
  assert.equal(g.chain.link.nodes.length, 2, 'LogRecord → next → LogRecord');
  const things = g.path.nodes.filter((n) => g.members.includes(n));
  assert.equal(things.length, 2, 'the path shown stops at the first whole link');
  assert.equal(
    chainText(lastAnalysis!, { chain: g.chain, name: 'LogRecord' }),
    '; each LogRecord keeps the one after it through its `next`',
  );
});

test('members of one iteration that hold each other are not a chain', () => {
  const leaks = hunt(
    (b, g) => {
      const arr = b.node('Array');
      b.edge(g, arr, 'property', 'emitters');
      return { arr };
    },
    (b, { arr }, k) => {
      for (let j = 0; j < 2; j++) {
        // The inner one first, so the oldest member's path runs through its outer twin.
        const inner = b.node('Emitter');
        const outer = b.node('Emitter');
        const bound = b.node('bound emit', 'closure');
        b.edge(arr, outer, 'element', k * 2 + j)
          .edge(outer, bound, 'property', 'redirect')
          .edge(bound, inner, 'internal', 'bound_this');
      }
    },
  );
  assert.equal(leaks.length, 1);
  assert.equal(leaks[0].chain, undefined);
});

test('an object used as a dictionary with ever-new keys is one leak', () => {
  const leaks = hunt(
    (b, g) => {
      const dict = b.node('Object');
      b.edge(g, dict, 'property', 'pageCache');
      return { dict };
    },
    (b, { dict }, k) => {
      for (let j = 0; j < 2; j++) b.edge(dict, b.node('RenderedPage'), 'property', `/page?id=${j}&t=${k}`);
    },
  );
  assert.equal(leaks.length, 1);
  assert.equal(leaks[0].className, 'RenderedPage');
  assert.equal(leaks[0].members.length, 8);
});

test("families under one old holder are one leak, named after the program's class", () => {
  // A pending promise's reaction list: each reaction (V8's own object) holds a suspended
  // function's closure and the Draft it keeps, and the promise the call returned.
  const leaks = hunt(
    (b, g) => {
      const p = b.node('Promise');
      b.edge(g, p, 'property', 'dbReady');
      return { p };
    },
    (b, { p }, k) => {
      for (let j = 0; j < 2; j++) {
        const reaction = b.node('system / PromiseReaction');
        const fn = b.node('', 'closure');
        const draft = b.node('Draft', 'object', 200);
        const returned = b.node('Promise');
        b.edge(p, reaction, 'internal', String(k * 2 + j))
          .edge(reaction, fn, 'internal', 'fulfill_handler')
          .edge(fn, draft, 'internal', 'context')
          .edge(reaction, returned, 'internal', 'promise_or_capability');
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => l.className).join(', '));
  assert.equal(leaks[0].className, 'Draft');
  assert.equal(leaks[0].members.length, 8);
});

/** A class as V8 draws it: its constructor (defined in `file`) and the prototype its objects point to. */
/** A class defined in `file`: its prototype; `exported` as its module's `exports.Name = Name` does. */
function defineClass(b: GraphBuilder, name: string, file: string, exported = true): number {
  const ctor = b.node(name, 'closure');
  const shared = b.node('(shared function info)', 'code');
  const script = b.node(file, 'code');
  const proto = b.node(name);
  b.edge(ctor, shared, 'internal', 'shared').edge(shared, script, 'internal', 'script_or_debug_info');
  b.edge(proto, ctor, 'property', 'constructor').edge(ctor, proto, 'property', 'prototype');
  if (exported) b.edge(b.node('Object'), ctor, 'property', name);
  else b.edge(b.node('system / Context'), ctor, 'context', name);
  return proto;
}

function instance(b: GraphBuilder, proto: number, name: string, size = 16): number {
  const o = b.node(name, 'object', size);
  b.edge(o, proto, 'property', '__proto__');
  return o;
}

test("a package's class names a leak before one of Node's own that holds more bytes", () => {
  const leaks = hunt(
    (b, g) => {
      const socketEvents = b.node('Array');
      b.edge(g, socketEvents, 'property', 'connectListeners');
      const emitter = defineClass(b, 'EventEmitter', 'node:events');
      const cancelable = defineClass(b, 'PCancelable', '/app/node_modules/p-cancelable/index.js');
      b.edge(g, emitter, 'property', 'E').edge(g, cancelable, 'property', 'P');
      return { socketEvents, emitter, cancelable };
    },
    (b, old, k) => {
      for (let j = 0; j < 2; j++) {
        const listener = b.node('onConnect', 'closure');
        const ctx = b.node('system / Context');
        b.edge(old.socketEvents, listener, 'element', k * 2 + j).edge(listener, ctx, 'internal', 'context');
        b.edge(ctx, instance(b, old.emitter, 'EventEmitter', 900), 'context', 'ee');
        b.edge(ctx, instance(b, old.cancelable, 'PCancelable', 60), 'context', 'cancelable');
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => l.className).join(', '));
  assert.equal(leaks[0].className, 'PCancelable');
  assert.deepEqual(
    leaks[0].alsoKeeps.map((x) => x.className),
    ['EventEmitter'],
  );
});

test('objects held by two new holders at once (a listener list and a registry) are one leak', () => {
  // Each request's abort handler is both in a long-lived signal's listeners (Node's Listener
  // records) and in a FinalizationRegistry's held values; it keeps the request.
  const leaks = hunt(
    (b, g) => {
      const registry = b.node('FinalizationRegistry');
      const signal = b.node('AbortSignal');
      const listenerClass = defineClass(b, 'Listener', 'node:internal/event_target');
      b.edge(g, registry, 'property', 'requestFinalizer').edge(g, signal, 'property', 'shutdown');
      b.edge(g, listenerClass, 'property', 'L');
      return { registry, signal, listenerClass };
    },
    (b, old, k) => {
      for (let j = 0; j < 2; j++) {
        const held = b.node('Object');
        const listener = instance(b, old.listenerClass, 'Listener');
        const abort = b.node('abort', 'closure');
        const ctx = b.node('system / Context');
        const request = b.node('FetchRequest', 'object', 300);
        b.edge(old.registry, held, 'internal', String(k * 2 + j))
          .edge(old.signal, listener, 'internal', String(k * 2 + j))
          .edge(held, abort, 'property', 'abort')
          .edge(listener, abort, 'property', 'callback')
          .edge(abort, ctx, 'internal', 'context')
          .edge(ctx, request, 'context', 'requestObject');
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => `${l.className} ×${l.members.length}`).join(', '));
  assert.equal(leaks[0].className, 'FetchRequest');
  assert.equal(leaks[0].members.length, 8);
  assert.ok(
    leaks[0].alsoKeeps.some((x) => x.className === 'Listener'),
    JSON.stringify(leaks[0].alsoKeeps),
  );
});

test("Node's self-capped buffers are not leaks; what else holds their entries still is", () => {
  const grow = (alsoHeld: boolean): LeakCandidateGroup[] =>
    hunt(
      (b, g) => {
        const ctx = b.node('system / Context');
        b.edge(g, ctx, 'property', 'perf');
        const buffer = b.node('Array');
        b.edge(ctx, buffer, 'context', 'resourceTimingBuffer');
        const mine = b.node('Array');
        b.edge(g, mine, 'property', 'timings');
        return { buffer, mine };
      },
      (b, { buffer, mine }, k) => {
        for (let j = 0; j < 3; j++) {
          const entry = b.node('PerformanceResourceTiming', 'object', 32);
          b.edge(buffer, entry, 'element', k * 3 + j);
          if (alsoHeld) b.edge(mine, entry, 'element', k * 3 + j);
        }
      },
    );
  assert.deepEqual(grow(false), []);
  const held = grow(true);
  assert.equal(held.length, 1);
  assert.equal(held[0].members.length, 12);
});

test('one cause with two classes of one rank is named after the one nearer the roots', () => {
  for (const order of ['far first', 'near first']) {
    const leaks = hunt(
      (b, g) => {
        const cache = b.node('Map');
        b.edge(g, cache, 'property', 'cache');
        let far = g;
        for (const name of ['lib', 'scope', 'values']) {
          const next = b.node('Object');
          b.edge(far, next, 'property', name);
          far = next;
        }
        return { cache, far };
      },
      (b, { cache, far }, k) => {
        for (let j = 0; j < 2; j++) {
          // Which is made first decides which family the hunt meets first.
          const n0 = order === 'far first' ? b.node('ScopeName', 'object', 64) : -1;
          const e = b.node('Env', 'object', 64);
          const n = n0 >= 0 ? n0 : b.node('ScopeName', 'object', 64);
          b.edge(cache, e, 'element', k * 2 + j);
          b.edge(far, n, 'element', k * 2 + j);
          b.edge(e, n, 'property', 'name');
        }
      },
    );
    assert.equal(leaks.length, 1, order);
    assert.equal(leakName(leaks[0]), 'Env', order);
  }
});

const APP = '/app/main.js';
const LIB = '/app/node_modules/fetchlib/lib';
const frame = (functionName: string, scriptName: string) => ({ functionName, scriptName });

test("closures at the top are named after the class whose constructor made them, and only that class's objects count", () => {
  // fetch() makes a Request, whose constructor adds an 'abort' handler to the caller's signal;
  // the handler reaches the fetch's controller (more bytes) and, through it, the dispatcher's
  // own internal class that is also called Request.
  const leaks = hunt(
    (b, g) => {
      const listeners = b.node('Array');
      b.edge(g, listeners, 'property', 'shutdownListeners');
      const request = defineClass(b, 'Request', `${LIB}/request.js`);
      const controller = defineClass(b, 'Controller', `${LIB}/index.js`);
      const internal = defineClass(b, 'Request', `${LIB}/client.js`);
      b.edge(g, request, 'property', 'R')
        .edge(g, controller, 'property', 'C')
        .edge(g, internal, 'property', 'I');
      return { listeners, request, controller, internal };
    },
    (b, old, k) => {
      for (let j = 0; j < 2; j++) {
        const abort = b.node('abort', 'closure');
        const ctx = b.node('system / Context');
        const request = instance(b, old.request, 'Request', 60);
        const controller = instance(b, old.controller, 'Controller', 900);
        const internal = instance(b, old.internal, 'Request', 300);
        b.edge(old.listeners, abort, 'element', k * 2 + j)
          .edge(abort, ctx, 'internal', 'context')
          .edge(ctx, request, 'context', 'requestObject')
          .edge(ctx, controller, 'context', 'controller')
          .edge(controller, internal, 'property', 'request');
        const call = [frame('fetch', `${LIB}/index.js`), frame('action', APP)];
        b.allocatedAt(abort, [frame('Request', `${LIB}/request.js`), ...call])
          .allocatedAt(request, call)
          .allocatedAt(controller, [
            frame('Controller', `${LIB}/index.js`),
            frame('fetching', `${LIB}/index.js`),
            ...call,
          ])
          .allocatedAt(internal, [frame('', `${LIB}/client.js`), frame('dispatch', `${LIB}/index.js`)]);
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => l.className).join(', '));
  assert.equal(leaks[0].className, 'Request');
  assert.equal(leaks[0].members.length, 8, 'the fetch Requests, not the internal ones of the same name');
  assert.ok(
    leaks[0].alsoKeeps.some((x) => x.className === 'Controller'),
    JSON.stringify(leaks[0].alsoKeeps),
  );
});

test("what the user's call made names a leak before what the package made later, in a callback, with more bytes", () => {
  const leaks = hunt(
    (b, g) => {
      const socketEvents = b.node('Array');
      b.edge(g, socketEvents, 'property', 'connectListeners');
      const cancelable = defineClass(b, 'PCancelable', '/app/node_modules/p-cancelable/index.js');
      const policy = defineClass(b, 'CachePolicy', '/app/node_modules/http-cache-semantics/index.js');
      b.edge(g, cancelable, 'property', 'P').edge(g, policy, 'property', 'C');
      return { socketEvents, cancelable, policy };
    },
    (b, old, k) => {
      for (let j = 0; j < 2; j++) {
        const listener = b.node('onConnect', 'closure');
        const ctx = b.node('system / Context');
        const promise = instance(b, old.cancelable, 'PCancelable', 60);
        const policy = instance(b, old.policy, 'CachePolicy', 100);
        b.edge(old.socketEvents, listener, 'element', k * 2 + j)
          .edge(listener, ctx, 'internal', 'context')
          .edge(ctx, promise, 'context', 'promise')
          .edge(ctx, policy, 'context', 'policy');
        b.allocatedAt(listener, [frame('', '/app/node_modules/got/index.js'), frame('emit', 'node:events')])
          .allocatedAt(promise, [
            frame('asPromise', '/app/node_modules/got/index.js'),
            frame('got', '/app/node_modules/got/index.js'),
            frame('action', APP),
          ])
          .allocatedAt(policy, [
            frame('handler', '/app/node_modules/cacheable-request/index.js'),
            frame('emit', 'node:events'),
          ]);
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => l.className).join(', '));
  assert.equal(leaks[0].className, 'PCancelable');
});

test('a cause split by path into a part born in every iteration and a part born in few is one leak with all its objects', () => {
  // Each abort handler sits in a growing chain of a signal's Listener records and in a registry:
  // the first handlers are reached along the chain, the later ones (the chain grown long)
  // through the registry, so their families differ; the first family alone is born in one iteration.
  const leaks = hunt(
    (b, g) => {
      const signal = b.node('AbortSignal');
      const registry = b.node('FinalizationRegistry');
      const cells = b.node('(object elements)', 'array');
      const listenerClass = defineClass(b, 'Listener', 'node:internal/event_target');
      b.edge(g, signal, 'property', 'shutdown').edge(g, registry, 'property', 'requestFinalizer');
      b.edge(registry, cells, 'internal', 'cells').edge(g, listenerClass, 'property', 'L');
      return { last: signal, cells, listenerClass, n: 0 };
    },
    (b, old, k) => {
      for (let j = 0; j < 2; j++) {
        const listener = instance(b, old.listenerClass, 'Listener');
        const abort = b.node('abort', 'closure');
        const held = b.node('Object');
        const ctx = b.node('system / Context');
        const request = b.node('FetchRequest', 'object', 300);
        b.edge(old.last, listener, 'property', old.n === 0 ? 'first' : 'next')
          .edge(listener, abort, 'property', 'callback')
          .edge(old.cells, held, 'element', k * 2 + j)
          .edge(held, abort, 'property', 'abort')
          .edge(abort, ctx, 'internal', 'context')
          .edge(ctx, request, 'context', 'requestObject');
        old.last = listener;
        old.n++;
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => `${l.className} ×${l.members.length}`).join(', '));
  assert.equal(leaks[0].className, 'FetchRequest');
  assert.equal(leaks[0].members.length, 8);
});

test('a list grown at its tail and also held at its tail by a variable is still a chain', () => {
  const leaks = hunt(
    (b, g) => {
      const action = b.node('action', 'closure');
      const ctx = b.node('system / Context');
      const head = b.node('LogRecord');
      b.edge(g, action, 'property', 'action').edge(action, ctx, 'internal', 'context');
      b.edge(ctx, head, 'context', 'head');
      return { tail: head, ctx };
    },
    (b, old, k) => {
      for (let j = 0; j < 3; j++) {
        const record = b.node('LogRecord');
        b.edge(old.tail, record, 'property', 'next');
        old.tail = record;
      }
      if (k === ITERATIONS - 1) b.edge(old.ctx, old.tail, 'context', 'tail');
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => `${l.className} ×${l.members.length}`).join(', '));
  assert.equal(leaks[0].members.length, 12);
  assert.ok(leaks[0].chain, 'the chain is found');
  assert.equal(
    chainText(lastAnalysis!, { chain: leaks[0].chain, name: 'LogRecord' }),
    '; each LogRecord keeps the one after it through its `next`',
  );
});

test("a package's private record (eventemitter3's `EE`) names no leak: the program's class it holds does", () => {
  // hub._events.config = [EE {fn, context: connection}], EE a function the module never exports.
  const leaks = hunt(
    (b, g) => {
      const list = b.node('Array');
      b.edge(g, list, 'property', 'configListeners');
      const record = defineClass(b, 'EE', '/app/node_modules/eventemitter3/index.js', false);
      const connection = defineClass(b, 'Connection', '/app/server.js');
      return { list, record, connection };
    },
    (b, old, k) => {
      for (let j = 0; j < 2; j++) {
        const ee = instance(b, old.record, 'EE', 40);
        b.edge(old.list, ee, 'element', k * 2 + j).edge(
          ee,
          instance(b, old.connection, 'Connection', 30),
          'property',
          'context',
        );
      }
    },
  );
  assert.equal(leaks.length, 1, leaks.map((l) => l.className).join(', '));
  assert.equal(leaks[0].className, 'Connection');
  assert.deepEqual(
    leaks[0].alsoKeeps.map((x) => x.className),
    ['EE'],
  );
});

/** An anonymous function defined in `file`. */
function anonymous(b: GraphBuilder, file: string): number {
  const fn = b.node('', 'closure');
  const shared = b.node('(shared function info)', 'code');
  b.edge(fn, shared, 'internal', 'shared').edge(
    shared,
    b.node(file, 'code'),
    'internal',
    'script_or_debug_info',
  );
  return fn;
}

test('anonymous closures are named after the variable that keeps them, or, kept in several, their file', () => {
  const grow = (slots: string[]) =>
    hunt(
      (b, g) => {
        const keeper = b.node('keep', 'closure');
        const ctx = b.node('system / Context');
        b.edge(g, keeper, 'property', 'keep').edge(keeper, ctx, 'internal', 'context');
        return { ctx };
      },
      (b, { ctx }, k) => {
        for (let j = 0; j < 2; j++)
          b.edge(
            ctx,
            anonymous(b, '/app/node_modules/graceful-fs/polyfills.js'),
            'context',
            slots[(k * 2 + j) % slots.length],
          );
      },
    );
  assert.equal(leakName(grow(['origCwd'])[0]), 'origCwd');
  assert.equal(leakName(grow(['origCwd', 'chdir'])[0]), '(anonymous) in polyfills.js');
});
