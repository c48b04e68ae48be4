// One sentence a person can act on: what is kept, by which holder, reached from which
// variable. The holder is the nearest recognised pattern above the leaking objects on their
// retainer path (an array, a Map or Set, a listener list, a closure's variable, a timer, a
// pending promise, a bound function, a static field, an Error's field); the anchor is the
// nearest variable or global above that.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className } from '../describe';
import { PathStep, pathSteps } from './steps';
import { alsoText, chainText, keptText } from './sentenceTail';

export { chainText };
import { FoldedStep, foldSteps } from './fold';
import { isDictionary } from './pathShape';
import { packageOf, scriptOfClosure } from '../workbench/scripts';

export interface ExplainInput {
  analysis: HeapAnalysis;
  path: RetainerPath;
  count: number;
  name: string;
  retainedSize: number;
  /**
   * Position in `path.nodes` of the top new object (the first node allocated during the
   * hunt): the holder is looked for from there up, since what lies below it is the payload.
   */
  keptFrom?: number;
  /** The members are closures, and `name` is their function's name. */
  closures?: boolean;
  /** Other classes the same cause keeps. */
  alsoKeeps?: { className: string; count: number }[];
  /** Members keep earlier members: the path from one member to the one it keeps. */
  chain?: { link: RetainerPath; length: number };
}

export type LeakPattern =
  | 'array'
  | 'dictionary'
  | 'map'
  | 'set'
  | 'weakmap'
  | 'listener'
  | 'event-target'
  | 'closure'
  | 'timer'
  | 'promise'
  | 'async-local-storage'
  | 'bound-function'
  | 'static-field'
  | 'error-field'
  | 'global'
  | 'module-variable'
  | 'property';

export interface Explanation {
  sentence: string;
  pattern: LeakPattern;
  holder: string;
}

export function explainLeak(input: ExplainInput): Explanation {
  const { analysis: a, path } = input;
  const keptFrom = input.keptFrom ?? path.nodes.length - 1;
  const steps = describeSteps(a, path);
  // Patterns that describe the kept object itself (a timer, a promise) may sit at its top.
  const selfDescribing = new Set<LeakPattern>([
    'timer',
    'promise',
    'bound-function',
    'async-local-storage',
    'listener',
    'event-target',
  ]);
  const holder =
    steps.find((s) => s.at < keptFrom || (s.at === keptFrom && selfDescribing.has(s.pattern))) ?? steps[0];
  // Where the holder is reached from, as the user's code names it: a variable captured by a
  // package's own closure (mem's `opts` in `memoized`) is passed for the user's variable above it.
  const anchors = steps.filter(
    (s) =>
      !holder?.moduleScope &&
      s.at < (holder?.at ?? Infinity) &&
      (s.pattern === 'module-variable' || s.pattern === 'global' || s.pattern === 'static-field'),
  );
  const anchor = anchors.find((s) => !s.inPackage) ?? anchors[0];
  const what = keptText(a, input);
  const verb = input.count === 1 ? 'is' : 'are';
  const tail = chainText(a, input) + alsoText(input.alsoKeeps);
  if (!holder)
    return {
      sentence: `${what} ${verb} still alive, retained through V8 internals${tail}.`,
      pattern: 'property',
      holder: '',
    };
  const via = anchor && anchor.text !== holder.text ? `, reached from ${anchor.text}` : '';
  const through = throughText(a, path, keptFrom, input.name);
  return {
    sentence: `${what} ${verb} kept alive by ${holder.text}${through}${via}${tail}.`,
    pattern: holder.pattern,
    holder: holder.text,
  };
}

interface Step {
  /** Index of the node this step describes, in path.nodes. */
  at: number;
  pattern: LeakPattern;
  text: string;
  /** A variable of a closure defined inside an npm package (or Node's own code). */
  inPackage?: boolean;
  /** A variable of a module's own top level: nothing above it is a reason a person gives. */
  moduleScope?: boolean;
}

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
    pattern: 'map',
    test: (c) => NODE_COLLECTIONS.has(c.step.className),
    text: (c) =>
      `${c.step.className === 'Map' || c.step.className === 'Set' ? 'entries of' : 'an entry of'} the ${c.step.className}${c.label}`,
  },
  {
    // An object used as a dictionary with keys made from data (a URL, an id per request).
    // Or its keys themselves, kept in its property table (node-schedule's `scheduledJobs[name] = null`).
    pattern: 'dictionary',
    test: (c) =>
      c.step.className === 'Object' &&
      ((c.out?.type === 'property' && (isDictionary(c.a, c.step.node) || !/^[A-Za-z_$][\w$]*$/.test(c.out.name))) ||
        (c.out?.name === 'properties' && isDictionary(c.a, c.step.node))),
    text: (c) =>
      c.out?.name === 'properties'
        ? `the object${c.label} used as a dictionary (a key stays until it is deleted, whatever its value)`
        : `the keys of the object${c.label} used as a dictionary`,
  },
  {
    pattern: 'array',
    test: (c) => c.step.className === 'Array' && (c.out?.type === 'element' || c.out?.name === 'elements'),
    text: (c) => `the array${c.label}${ownerSuffix(c.a, c.path, c.i)}`,
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
      return `a listener${event && !/^\d+$/.test(event) ? ` for "${event}"` : ''} on the ${c.step.className}${c.label}`;
    },
  },
  {
    pattern: 'event-target',
    test: (c) => /kEvents/.test(c.out?.name ?? ''),
    text: (c) => `a listener on the ${c.step.className}${c.label}`,
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
    pattern: 'timer',
    test: (c) => c.step.className === 'Timeout' || c.step.className === 'Immediate',
    text: (c) =>
      `an active timer (${c.step.className === 'Timeout' ? 'setTimeout/setInterval' : 'setImmediate'})${c.out?.name === '_onTimeout' ? ' through its callback' : ''}`,
  },
  {
    pattern: 'promise',
    test: (c) =>
      c.step.className === 'Promise' ||
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
    test: (c) => c.out?.type === 'property' && c.step.isClosure && c.step.name !== 'Module',
    text: (c) => `the static field \`${c.out!.name}\` of class \`${c.step.name || '(anonymous)'}\``,
  },
  {
    pattern: 'error-field',
    test: (c) => c.out?.type === 'property' && /Error$/.test(c.step.className) && c.i < c.steps.length - 1,
    text: (c) => `the \`${c.out!.name}\` field of the ${c.step.className}${c.label}`,
  },
  {
    pattern: 'global',
    test: (c) =>
      c.out?.type === 'property' &&
      (c.step.className === 'global' || c.step.className === 'Window' || c.step.name.startsWith('global')),
    text: (c) => `the global \`${c.out!.name}\``,
  },
];

/** Recognised steps, nearest to the leaking object first. */
function describeSteps(a: HeapAnalysis, p: RetainerPath): Step[] {
  const steps = pathSteps(a, p);
  const folded = foldSteps(steps);
  const registry = folded.find((f) => f.kind === 'module');
  const module = registry?.label.replace(/^module /, '') ?? null;
  const out: Step[] = [];
  // Inside the module registry everything is Node's plumbing (`$Module`, `_cache`).
  for (let i = steps.length - 2; i >= (registry?.to ?? 0); i--) {
    const c: RuleContext = {
      a,
      path: p,
      steps,
      i,
      step: steps[i],
      out: steps[i + 1].via,
      label: nameOf(a, p, i),
      module,
    };
    const rule = SENTENCE_RULES.find((r) => r.test(c));
    if (!rule || rule.skip) continue;
    // A variable of the module's own top level (its scope reached through a function it
    // exports) is named as the module's: the exported function is only how V8 reaches it.
    const moduleScope = rule.pattern === 'closure' && isModuleScope(c, folded);
    const text = moduleScope ? variableAnchor(c, folded) : rule.text(c);
    if (moduleScope) {
      out.push({ at: i, pattern: 'module-variable', text, moduleScope });
      continue;
    }
    if (rule.anchor) out.push({ at: i, pattern: rule.pattern, text });
    // One holder seen twice in a row (an emitter, then its listener list) is one step; the same
    // words further up are another holder (a signal following another signal).
    else if (out[out.length - 1]?.text !== text) out.push({ at: i, pattern: rule.pattern, text });
    // A closure variable is also where the holder is reached from: the module's own
    // variable when the closure is one the module exports, else the closure's.
    if (rule.pattern === 'closure')
      out.push({
        at: i,
        pattern: 'module-variable',
        text: variableAnchor(c, folded),
        inPackage: closureInPackage(c),
      });
  }
  return out;
}

/** Whether the variable leaving step c is one of the module's own top level (fold.ts says so). */
function isModuleScope(c: RuleContext, folded: FoldedStep[]): boolean {
  return c.module !== null && folded.some((x) => x.to === c.i + 1 && x.kind === 'module-variable');
}

/** "the variable `x` of the module books.js" or "the variable `x` captured by `fn`". */
function variableAnchor(c: RuleContext, folded: FoldedStep[]): string {
  if (isModuleScope(c, folded)) return `the variable \`${c.out!.name}\` of the module ${c.module}`;
  const fn = closureAbove(c);
  return `the variable \`${c.out!.name}\`${fn ? ` captured by \`${fn}\`` : ''}`;
}

/** For a collection held in a field of an Error or a class instance: " on the Error `X`". */
function ownerSuffix(a: HeapAnalysis, p: RetainerPath, i: number): string {
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

/** What lies between the holder and the named objects, when it is not the objects themselves. */
function throughText(a: HeapAnalysis, p: RetainerPath, keptFrom: number, name: string): string {
  const last = p.nodes.length - 1;
  if (keptFrom >= last) return '';
  const top = p.nodes[keptFrom];
  const topClass = className(a, top);
  // The holder sentence already names timers, promises and listeners (an EventTarget's
  // Listener records are what "a listener on the EventTarget" means).
  if (['Timeout', 'Immediate', 'Promise', 'Listener', name].includes(topClass) || /string\)$/.test(topClass))
    return '';
  // Objects held in an async function's suspended state, however the path reaches it (the
  // function's own object, or the closure that resumes it on the awaited promise).
  if (p.nodes.slice(keptFrom, last).some((n) => className(a, n) === 'Generator'))
    return ' in suspended async functions';
  const captured: string[] = [];
  for (let j = keptFrom; j < last; j++) {
    if (a.snapshot.edgeTypeName(p.edges[j]) === 'context')
      captured.push(a.snapshot.edgeNameString(p.edges[j]));
  }
  if (a.snapshot.nodeTypeName(top) === 'closure') {
    const name = a.snapshot.nodeNameString(top);
    const boundThis = p.edges.slice(keptFrom).some((e) => a.snapshot.edgeNameString(e) === 'bound_this');
    if (name.startsWith('bound ') || name === 'native_bind' || boundThis)
      return ' through bound functions (`fn.bind(obj)` keeps `obj` as its `this`)';
    return captured.length ? ` through closures that capture \`${captured[0]}\`` : ' through closures';
  }
  if (/Error$/.test(topClass) && keptFrom < last) {
    return ` through the \`${a.snapshot.edgeNameString(p.edges[keptFrom])}\` of ${topClass} objects`;
  }
  return ` through ${topClass} objects`;
}

/** " `name`" for the node at path index i, from the edge that leads to it, or "". */
function nameOf(a: HeapAnalysis, p: RetainerPath, i: number): string {
  if (i === 0) return '';
  const e = p.edges[i - 1];
  const t = a.snapshot.edgeTypeName(e);
  if (t === 'property' || t === 'context' || t === 'shortcut') return ` \`${a.snapshot.edgeNameString(e)}\``;
  return '';
}

/** The closure whose context holds a variable: the closure just above the context on the path. */
function closureAbove(c: RuleContext): string | null {
  const j = closureIndexAbove(c);
  return j < 0 ? null : c.steps[j].name || '(anonymous)';
}

function closureIndexAbove(c: RuleContext): number {
  for (let j = c.i - 1; j >= 0 && j >= c.i - 4; j--) if (c.steps[j].isClosure) return j;
  return -1;
}

/** Whether the closure holding the variable was defined in a package or in Node's own code. */
function closureInPackage(c: RuleContext): boolean {
  const j = closureIndexAbove(c);
  if (j < 0) return false;
  const owner = packageOf(scriptOfClosure(c.a, c.steps[j].node));
  return owner !== '(app)' && owner !== '(unknown)';
}
