// The sentence rules: each recognises one kind of holder on a retainer path (an array, a Map,
// a listener list, a closure's variable, a timer, a pending promise, …) and says it in words.
// Tried at each node from the kept objects up, first match wins (explain.ts). Split from
// explain.ts, which builds the sentence.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className } from '../describe';
import { functionName, PathStep } from './steps';
import { isDictionary } from './pathShape';
import { SYMBOL_REGISTRY_EDGE } from './symbolRegistry';
import type { LeakPattern } from './explain';

/** What a rule sees: the step at a node of the path, its neighbours, and the folded reading. */
export interface RuleContext {
  a: HeapAnalysis;
  path: RetainerPath;
  steps: PathStep[];
  /** Position of the node the rule looks at (a holder candidate). */
  i: number;
  step: PathStep;
  /** The edge leaving this node down the path (toward the kept objects). */
  out: PathStep['via'];
  /** " `name`" of the node, from the edge into it; "" when it has no name. */
  label: string;
  /** The module whose registry the path came through ("books.js"), if any. */
  module: string | null;
  /**
   * An object on the path a person knows by a name, reached through Node's own plumbing
   * (`process`, held in the scope of Node's global functions): said instead of its class and
   * the internal variable that led to it (`_process`).
   */
  knownObject?: { at: number; name: string };
}

/** The name a person knows the node at position i by (knownObject), if any. */
function knownAt(c: RuleContext, i: number): string | undefined {
  return c.knownObject?.at === i ? c.knownObject.name : undefined;
}

export interface SentenceRule {
  pattern: LeakPattern;
  /** When true, the rule's text is not a holder but a variable the holder is reached from. */
  anchor?: boolean;
  /** Plumbing that says nothing by itself: when it matches, later rules are not tried. */
  skip?: boolean;
  test(c: RuleContext): boolean;
  text(c: RuleContext): string;
}

const NODE_COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);

/** The variables Node's timers module keeps its pending timers in. */
const NODE_TIMER_LISTS = new Set(['timerListMap', 'timerListQueue', 'immediateQueue', 'outstandingQueue']);

/**
 * The sentence rules, first match wins, tried at each node from the kept objects up. Each is
 * unit-tested on a hand-made graph (test/unit/explain.test.ts).
 */
export const SENTENCE_RULES: SentenceRule[] = [
  {
    // A listener list is plumbing of its emitter: the emitter's step names it better.
    pattern: 'listener',
    skip: true,
    test: (c) => {
      const up = c.step.via?.name ?? '';
      return /kEvents/.test(up) || up === '_events' || c.steps[c.i - 1]?.via?.name === '_events';
    },
    text: () => '',
  },
  {
    // A wrapper's pointer to the listener it stands for (the `once` wrapper Node's events
    // add, a bound `onceWrapper` whose `listener` is the real one): the listener's plumbing.
    pattern: 'listener',
    skip: true,
    test: (c) => c.step.isClosure && c.out?.type === 'property' && c.out.name === 'listener',
    text: () => '',
  },
  {
    // V8's global symbol registry (symbolRegistry.ts): a nameless array under the strong roots.
    pattern: 'symbol-registry',
    test: (c) => c.step.via?.name === SYMBOL_REGISTRY_EDGE,
    text: () =>
      'the global symbol registry, which keeps every key given to Symbol.for(…), with its symbol, for the life of the process',
  },
  {
    pattern: 'map',
    test: (c) => NODE_COLLECTIONS.has(c.step.className),
    text: (c) =>
      `${c.step.className === 'Map' || c.step.className === 'Set' ? 'entries of' : 'an entry of'} the ${c.step.className}${c.label}${weakMapValue(c) ?? ownerSuffix(c.a, c.path, c.i)}`,
  },
  {
    // An object used as a dictionary with keys made from data (a URL, an id per request).
    // Or its keys themselves, kept in its property table (node-schedule's `scheduledJobs[name] = null`).
    pattern: 'dictionary',
    test: (c) =>
      c.step.className === 'Object' &&
      ((c.out?.type === 'property' &&
        (isDictionary(c.a, c.step.node) || !/^[A-Za-z_$][\w$]*$/.test(c.out.name))) ||
        (c.out?.name === 'properties' && isDictionary(c.a, c.step.node))),
    text: (c) =>
      c.out?.name === 'properties'
        ? `the object${c.label} used as a dictionary (a key stays until it is deleted, whatever its value)`
        : `the keys of the object${c.label} used as a dictionary${keyExample(c.out!.name)}`,
  },
  {
    pattern: 'array',
    test: (c) => c.step.className === 'Array' && (c.out?.type === 'element' || c.out?.name === 'elements'),
    text: (c) => `the array${c.label}${weakMapValue(c) ?? ownerSuffix(c.a, c.path, c.i)}`,
  },
  {
    pattern: 'module-variable',
    anchor: true,
    test: (c) =>
      c.out?.type === 'property' &&
      c.i > 0 &&
      c.step.via?.name === 'exports' &&
      c.steps[c.i - 1].className === 'Module',
    text: (c) => `\`${c.out!.name}\` exported by ${c.module ? `the module ${c.module}` : 'a module'}`,
  },
  {
    // Node's module registry (Module._cache) is plumbing, not a cause.
    pattern: 'module-variable',
    skip: true,
    test: (c) => c.step.className === 'Module' && c.i > 0 && (c.step.via?.name ?? '').includes('/'),
    text: () => '',
  },
  {
    pattern: 'listener',
    test: (c) => c.out?.name === '_events' && c.i > 0,
    text: (c) => {
      const event = c.i + 2 < c.steps.length ? (c.steps[c.i + 2].via?.name ?? '') : '';
      return `a listener${event && !/^\d+$/.test(event) ? ` for "${event}"` : ''} on ${objectWords(c)}`;
    },
  },
  {
    pattern: 'event-target',
    test: (c) => /kEvents/.test(c.out?.name ?? ''),
    text: (c) => `a listener on ${objectWords(c)}`,
  },
  {
    pattern: 'async-local-storage',
    test: (c) =>
      c.step.className === 'AsyncLocalStorage' ||
      /kResourceStore|async_context_frame/.test(c.out?.name ?? ''),
    text: (c) =>
      `an AsyncLocalStorage store${c.steps.slice(0, c.i + 1).some((x) => x.className === 'Timeout') ? ' held by a pending timer (Timeout)' : ''}`,
  },
  {
    // Node's own lists of timers (lib/internal/timers.js), reached through the scope of its
    // timer functions: the kept objects are timers themselves, pending in Node's list.
    pattern: 'timer',
    test: (c) => c.out?.type === 'context' && NODE_TIMER_LISTS.has(c.out.name),
    text: () => "Node's list of pending timers (each a setTimeout or setInterval not yet fired or cleared)",
  },
  {
    pattern: 'timer',
    test: (c) => c.step.className === 'Timeout' || c.step.className === 'Immediate',
    text: (c) =>
      `an active timer (${c.step.className === 'Timeout' ? 'setTimeout/setInterval' : 'setImmediate'})${c.out?.name === '_onTimeout' ? ' through its callback' : ''}`,
  },
  {
    pattern: 'promise',
    test: (c) =>
      (c.step.className === 'Promise' && !settledPromise(c.a, c.path, c.i)) ||
      /^(system \/ )?(PromiseReaction|AsyncFunctionAwait|JSAsyncFunctionObject)/.test(c.step.name) ||
      (/async_function|promise/i.test(c.out?.name ?? '') && c.out?.type === 'internal'),
    text: (c) => `a pending promise${c.label}`,
  },
  {
    pattern: 'bound-function',
    test: (c) => c.step.isClosure && c.step.name.startsWith('bound '),
    text: (c) => `the bound function \`${c.step.name.slice(6) || '(anonymous)'}\``,
  },
  {
    // A closure's variable: the holder, and (as an anchor) where the holder is reached from.
    pattern: 'closure',
    test: (c) => c.out?.type === 'context',
    text: (c) => {
      const fn = closureAbove(c);
      return `the variable \`${c.out!.name}\`${fn ? ` in the closure of \`${fn}\`` : ''}`;
    },
  },
  {
    pattern: 'static-field',
    // A class's: its name is capitalised, as classes are. A property of a plain function (the
    // `defaults` of axios's `wrap`) is no class's field, and says nothing the variable above
    // it (the program's `client`) would not say better.
    test: (c) =>
      c.out?.type === 'property' &&
      c.step.isClosure &&
      c.step.name !== 'Module' &&
      /^[A-Z]/.test(c.step.name),
    text: (c) => `the static field \`${c.out!.name}\` of class \`${c.step.name || '(anonymous)'}\``,
  },
  {
    pattern: 'error-field',
    test: (c) => c.out?.type === 'property' && /Error$/.test(c.step.className) && c.i < c.steps.length - 1,
    text: (c) => `the \`${c.out!.name}\` field of the ${c.step.className}${c.label}`,
  },
  {
    // A property of an object reached through Node's plumbing, said as the program writes it.
    pattern: 'global',
    anchor: true,
    test: (c) => knownAt(c, c.i) !== undefined && c.out?.type === 'property',
    text: (c) => `\`${knownAt(c, c.i)}.${c.out!.name}\``,
  },
  {
    pattern: 'global',
    test: (c) =>
      c.out?.type === 'property' &&
      (c.step.className === 'global' || c.step.className === 'Window' || c.step.name.startsWith('global')),
    // An accessor on the global object is named as the program reads it (`get process`: `process`).
    text: (c) => `the global \`${c.out!.name.replace(/^[gs]et /, '')}\``,
  },
];

/**
 * Whether the promise at path position i is settled: its `reactions_or_result` slot, which
 * holds the reactions while it is pending, leads down the path to its value (dataloader's cache
 * of fulfilled promises). A settled promise is its value's box, not what keeps it waiting.
 */
export function settledPromise(a: HeapAnalysis, p: RetainerPath, i: number): boolean {
  if (i + 1 >= p.nodes.length || a.snapshot.edgeNameString(p.edges[i]) !== 'reactions_or_result')
    return false;
  return !/PromiseReaction/.test(a.snapshot.nodeNameString(p.nodes[i + 1]));
}

/** ' (keys such as "/users/7/profile")': one key made from data shows what makes them differ. */
function keyExample(key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return '';
  return ` (keys such as ${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)})`;
}

/**
 * V8 names the edge from a WeakMap's table to a value after the entry it belongs to: "3 / part
 * of key (Object @99813) -> value (Array @100125) pair in WeakMap (table @99811)".
 */
const EPHEMERON_VALUE = /part of key \((.*?) @\d+\) -> value /;

/**
 * For a WeakMap's value: " that the WeakMap `trail` keeps for a key that is still alive (an
 * Object)": a value lives as long as its key, however weakly the map holds the key.
 */
function weakMapValue(c: RuleContext): string | null {
  const key = c.step.via ? EPHEMERON_VALUE.exec(c.step.via.name) : null;
  if (!key) return null;
  let j = c.i - 1;
  while (j > 0 && j >= c.i - 3 && c.steps[j].className !== 'WeakMap') j--;
  const map = c.steps[j]?.className === 'WeakMap' ? `the WeakMap${nameOf(c.a, c.path, j)}` : 'a WeakMap';
  // The path may come from the key itself (mem's cache Map, kept for its memoized function).
  const fromKey = c.steps[c.i - 1];
  const what = fromKey?.isClosure
    ? `the function \`${functionName(fromKey)}\``
    : `${/^[AEIOU]/.test(key[1]) ? 'an' : 'a'} ${key[1]}`;
  return ` that ${map} keeps for a key that is still alive (${what})`;
}

/** "the EventEmitter `queue`", or "`process`" for an object a person knows by its name. */
function objectWords(c: RuleContext): string {
  const known = knownAt(c, c.i);
  return known !== undefined ? `\`${known}\`` : `the ${c.step.className}${c.label}`;
}

/** For a collection held in a field of an Error or a class instance: " on the Error `X`". */
export function ownerSuffix(a: HeapAnalysis, p: RetainerPath, i: number): string {
  if (i === 0) return '';
  const owner = p.nodes[i - 1];
  const cls = className(a, owner);
  if (
    a.snapshot.nodeTypeName(owner) !== 'object' ||
    cls === 'Object' ||
    cls === 'global' ||
    cls.startsWith('global') ||
    cls.startsWith('system /')
  )
    return '';
  return ` on the ${cls}${nameOf(a, p, i - 1)}`;
}

/** " `name`" for the node at path index i, from the edge that leads to it, or "". */
export function nameOf(a: HeapAnalysis, p: RetainerPath, i: number): string {
  if (i === 0) return '';
  const e = p.edges[i - 1];
  const t = a.snapshot.edgeTypeName(e);
  if (t === 'property' || t === 'context' || t === 'shortcut') return ` \`${a.snapshot.edgeNameString(e)}\``;
  return '';
}

/** The closure whose context holds a variable: the closure just above the context on the path. */
export function closureAbove(c: RuleContext): string | null {
  const j = closureIndexAbove(c);
  if (j < 0) return null;
  // An anonymous function stored on `process` (`process.cwd = function () {…}`) is known by
  // that property, as V8's stack traces name it.
  const owner = c.steps[j - 1];
  const via = c.steps[j].via;
  const known = knownAt(c, j - 1);
  if (!c.steps[j].name && owner && via?.type === 'property' && known !== undefined)
    return `${known}.${via.name}`;
  return functionName(c.steps[j]);
}

export function closureIndexAbove(c: RuleContext): number {
  for (let j = c.i - 1; j >= 0 && j >= c.i - 4; j--) if (c.steps[j].isClosure) return j;
  return -1;
}
