// One sentence a person can act on: what is kept, by which holder, reached from which
// variable. The holder is the nearest recognised pattern above the leaking objects on their
// retainer path (an array, a Map or Set, a listener list, a closure's variable, a timer, a
// pending promise, a bound function, a static field, an Error's field); the anchor is the
// nearest variable or global above that.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className, closureName } from '../describe';
import { pathSteps, personClass } from './steps';
import { privatePackage } from './naming';
import { alsoText, chainText, keptText } from './sentenceTail';

export { chainText };
import { FoldedStep, foldSteps } from './fold';
import {
  closureAbove,
  closureIndexAbove,
  nameOf,
  RuleContext,
  SENTENCE_RULES,
  settledPromise,
} from './sentenceRules';

export { SENTENCE_RULES };
export type { RuleContext, SentenceRule } from './sentenceRules';
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
  /** The members are plain objects, and `name` is the class whose container holds them. */
  entries?: boolean;
  /**
   * Set when the leak is one container that grows (numbers pushed to an array, ids added to a
   * Set: no object is born per entry), the last node of `path`: the entries it gains an iteration.
   */
  entriesPerIteration?: number;
  /** Other classes the same cause keeps. */
  alsoKeeps?: { className: string; count: number }[];
  /** Members keep earlier members: the path from one member to the one it keeps. */
  chain?: { link: RetainerPath; length: number; keepsOlder?: boolean };
}

export type LeakPattern =
  | 'array'
  | 'dictionary'
  | 'map'
  | 'set'
  | 'weakmap'
  | 'symbol-registry'
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
  const verb = input.count === 1 && input.entriesPerIteration === undefined ? 'is' : 'are';
  const tail = chainText(a, input) + alsoText(input.alsoKeeps);
  if (!holder)
    return {
      sentence: `${what} ${verb} still alive, retained through V8 internals${tail}.`,
      pattern: 'property',
      holder: '',
    };
  // Above a timer is only Node's timer plumbing (its list, reached from the global `setTimeout`).
  const via =
    anchor && anchor.text !== holder.text && holder.pattern !== 'timer'
      ? `, reached from ${anchor.text}`
      : '';
  // The holder may be the top of the kept subtree itself (a signal made per request): then
  // nothing lies between them.
  const between = holder.at === keptFrom ? '' : throughText(a, path, keptFrom, input.name);
  // "the variable `origCwd` … through closures that capture `origCwd`" says it once.
  const names = between.match(/`[^`]+`/g) ?? [];
  const through = names.length > 0 && names.every((x) => holder.text.includes(x)) ? '' : between;
  // Where the objects are (the locals of suspended calls) reads before who keeps them.
  const where = through === SUSPENDED ? SUSPENDED : '';
  return {
    sentence: `${what}${where} ${verb} kept alive by ${holder.text}${where ? '' : through}${via}${tail}.`,
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

/** Recognised steps, nearest to the leaking object first. */
function describeSteps(a: HeapAnalysis, p: RetainerPath): Step[] {
  const steps = pathSteps(a, p);
  const folded = foldSteps(steps);
  const registry = folded.find((f) => f.kind === 'module');
  const module = registry?.label.replace(/^module /, '') ?? null;
  // `process` reached through Node's global functions: what led there is plumbing too.
  const process = folded.find((f) => f.kind === 'global' && f.label === 'process');
  const out: Step[] = [];
  // Inside the module registry everything is Node's plumbing (`$Module`, `_cache`).
  for (let i = steps.length - 2; i >= (registry?.to ?? process?.to ?? 0); i--) {
    const c: RuleContext = {
      a,
      path: p,
      steps,
      i,
      step: steps[i],
      out: steps[i + 1].via,
      label: nameOf(a, p, i),
      module,
      ...(process ? { knownObject: { at: process.to, name: 'process' } } : {}),
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

/** Where objects held in a suspended async function's state are: said before "are kept alive". */
const SUSPENDED = ' in suspended async functions';

/** What lies between the holder and the named objects, when it is not the objects themselves. */
function throughText(a: HeapAnalysis, p: RetainerPath, keptFrom: number, name: string): string {
  const last = p.nodes.length - 1;
  // A listener's wrapper (the `once` wrapper Node's events add) stands for the listener it points to.
  if (
    keptFrom < last &&
    a.snapshot.nodeType[p.nodes[keptFrom]] === a.kinds.closure &&
    a.snapshot.edgeNameString(p.edges[keptFrom]) === 'listener'
  )
    keptFrom++;
  if (keptFrom >= last) return '';
  const top = p.nodes[keptFrom];
  const topClass = personClass(a, top);
  // The holder sentence already names timers, promises and listeners (an EventTarget's
  // Listener records are what "a listener on the EventTarget" means).
  if (topClass === 'Promise' && settledPromise(a, p, keptFrom)) return ' as the values of settled promises';
  if (['Timeout', 'Immediate', 'Promise', 'Listener', name].includes(topClass) || /string\)$/.test(topClass))
    return '';
  // Objects held in an async function's suspended state, however the path reaches it (the
  // function's own object, or the closure that resumes it on the awaited promise).
  if (p.nodes.slice(keptFrom, last).some((n) => className(a, n) === 'Generator')) return SUSPENDED;
  const captured: string[] = [];
  for (let j = keptFrom; j < last; j++) {
    if (a.snapshot.edgeTypeName(p.edges[j]) === 'context')
      captured.push(a.snapshot.edgeNameString(p.edges[j]));
  }
  if (a.snapshot.nodeTypeName(top) === 'closure') {
    const name = closureName(a, top);
    const boundThis = p.edges.slice(keptFrom).some((e) => a.snapshot.edgeNameString(e) === 'bound_this');
    if (name.startsWith('bound ') || boundThis)
      return ' through bound functions (`fn.bind(obj)` keeps `obj` as its `this`)';
    return captured.length ? ` through closures that capture \`${captured[0]}\`` : ' through closures';
  }
  if (/Error$/.test(topClass) && keptFrom < last) {
    return ` through the \`${a.snapshot.edgeNameString(p.edges[keptFrom])}\` of ${topClass} objects`;
  }
  const owner = privatePackage(a, top);
  if (owner) return ` through ${owner}'s \`${topClass}\` records`;
  // Not "through Object objects": what a plain object or an array is needs no class name.
  if (topClass === 'Object') return ' through plain objects';
  if (topClass === 'Array') return ' through arrays';
  return ` through ${topClass} objects`;
}

/** Whether the closure holding the variable was defined in a package or in Node's own code. */
function closureInPackage(c: RuleContext): boolean {
  const j = closureIndexAbove(c);
  if (j < 0) return false;
  const owner = packageOf(scriptOfClosure(c.a, c.steps[j].node));
  return owner !== '(app)' && owner !== '(unknown)';
}
