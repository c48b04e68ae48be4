// One sentence a person can act on: what is kept, by which holder, reached from which
// variable. The holder is the nearest recognised pattern above the leaking objects on their
// retainer path (an array, a Map or Set, a listener list, a closure's variable, a timer, a
// pending promise, a bound function, a static field, an Error's field); the anchor is the
// nearest variable or global above that.

import { formatBytes } from '../format';
import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className } from '../describe';

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
}

export type LeakPattern =
  | 'array' | 'map' | 'set' | 'weakmap' | 'listener' | 'event-target' | 'closure' | 'timer' | 'promise'
  | 'async-local-storage' | 'bound-function' | 'static-field' | 'error-field' | 'global' | 'module-variable' | 'property';

export interface Explanation {
  sentence: string;
  pattern: LeakPattern;
  holder: string;
}

interface Step {
  /** Index of the node this step describes, in path.nodes. */
  at: number;
  pattern: LeakPattern;
  text: string;
}

export function explainLeak(input: ExplainInput): Explanation {
  const { analysis: a, path } = input;
  const keptFrom = input.keptFrom ?? path.nodes.length - 1;
  const steps = describeSteps(a, path);
  // Patterns that describe the kept object itself (a timer, a promise) may sit at its top.
  const selfDescribing = new Set<LeakPattern>(['timer', 'promise', 'bound-function', 'async-local-storage', 'listener', 'event-target']);
  const holder = steps.find((s) => s.at < keptFrom || (s.at === keptFrom && selfDescribing.has(s.pattern))) ?? steps[0];
  const anchor = steps.find((s) => s.at < (holder?.at ?? Infinity) && (s.pattern === 'module-variable' || s.pattern === 'global' || s.pattern === 'static-field'));
  const what = `${input.count.toLocaleString('en-US')} ${input.name} object${input.count === 1 ? '' : 's'} (${formatBytes(input.retainedSize)})`;
  const verb = input.count === 1 ? 'is' : 'are';
  if (!holder) return { sentence: `${what} ${verb} still alive, retained through V8 internals.`, pattern: 'property', holder: '' };
  const via = anchor && anchor.text !== holder.text ? `, reached from ${anchor.text}` : '';
  const through = throughText(a, path, keptFrom, input.name);
  return { sentence: `${what} ${verb} kept alive by ${holder.text}${through}${via}.`, pattern: holder.pattern, holder: holder.text };
}

/** Recognised steps, nearest to the leaking object first. */
function describeSteps(a: HeapAnalysis, p: RetainerPath): Step[] {
  const s = a.snapshot;
  const steps: Step[] = [];
  const last = p.nodes.length - 1;
  for (let i = last - 1; i >= 0; i--) {
    const node = p.nodes[i];
    const edge = p.edges[i];
    const cls = className(a, node);
    const edgeName = s.edgeNameString(edge);
    const edgeType = s.edgeTypeName(edge);
    const label = nameOf(a, p, i);
    const push = (pattern: LeakPattern, text: string): void => {
      if (!steps.some((x) => x.text === text)) steps.push({ at: i, pattern, text });
    };
    const incoming = i > 0 ? s.edgeNameString(p.edges[i - 1]) : '';
    const grandIncoming = i > 1 ? s.edgeNameString(p.edges[i - 2]) : '';
    // A listener list is plumbing of its emitter: the emitter's step names it better.
    if (/kEvents/.test(incoming) || incoming === '_events' || grandIncoming === '_events') continue;
    if (cls === 'Map' || cls === 'Set' || cls === 'WeakMap' || cls === 'WeakSet') {
      const kind = cls === 'Map' ? 'map' : cls === 'Set' ? 'set' : 'weakmap';
      push(kind, `${cls === 'Map' || cls === 'Set' ? 'entries of' : 'an entry of'} the ${cls}${label}`);
    } else if (cls === 'Array' && (edgeType === 'element' || edgeName === 'elements')) {
      push('array', `the array${label}${ownerSuffix(a, p, i)}`);
    } else if (edgeType === 'property' && i > 0 && isModuleExports(a, p, i)) {
      steps.push({ at: i, pattern: 'module-variable', text: `\`${edgeName}\` exported by ${moduleName(a, p, i)}` });
    } else if (cls === 'Module' && i > 0 && s.edgeNameString(p.edges[i - 1]).includes('/')) {
      // Node's module registry (Module._cache) is plumbing, not a cause.
      continue;
    } else if (edgeName === '_events' && i > 0) {
      const event = i + 1 < last ? s.edgeNameString(p.edges[i + 1]) : '';
      push('listener', `a listener${event && !/^\d+$/.test(event) ? ` for "${event}"` : ''} on the ${cls}${label}`);
    } else if (/kEvents/.test(edgeName)) {
      push('event-target', `a listener on the ${cls}${label}`);
    } else if (cls === 'AsyncLocalStorage' || /kResourceStore|async_context_frame/.test(edgeName)) {
      const timer = p.nodes.slice(0, i + 1).some((n) => className(a, n) === 'Timeout');
      push('async-local-storage', `an AsyncLocalStorage store${timer ? ' held by a pending timer (Timeout)' : ''}`);
    } else if (cls === 'Timeout' || cls === 'Immediate') {
      push('timer', `an active timer (${cls === 'Timeout' ? 'setTimeout/setInterval' : 'setImmediate'})${timerCallback(a, p, i)}`);
    } else if (cls === 'Promise' || /^(system \/ )?(PromiseReaction|AsyncFunctionAwait|JSAsyncFunctionObject)/.test(s.nodeNameString(node)) || /async_function|promise/i.test(edgeName) && edgeType === 'internal') {
      push('promise', `a pending promise${label}`);
    } else if (s.nodeTypeName(node) === 'closure' && s.nodeNameString(node).startsWith('bound ')) {
      push('bound-function', `the bound function \`${s.nodeNameString(node).slice(6) || '(anonymous)'}\``);
    } else if (edgeType === 'context') {
      const fn = closureAbove(a, p, i);
      push('closure', `the variable \`${edgeName}\`${fn ? ` in the closure of \`${fn}\`` : ''}`);
      steps.push({ at: i, pattern: 'module-variable', text: `the variable \`${edgeName}\`${fn ? ` captured by \`${fn}\`` : ''}` });
    } else if (edgeType === 'property' && s.nodeTypeName(node) === 'closure' && s.nodeNameString(node) !== 'Module') {
      push('static-field', `the static field \`${edgeName}\` of class \`${s.nodeNameString(node) || '(anonymous)'}\``);
    } else if (edgeType === 'property' && /Error$/.test(cls) && i < last) {
      push('error-field', `the \`${edgeName}\` field of the ${cls}${nameOf(a, p, i)}`);
    } else if (edgeType === 'property' && (cls === 'global' || cls === 'Window' || s.nodeNameString(node).startsWith('global'))) {
      push('global', `the global \`${edgeName}\``);
    }
  }
  return steps;
}

/** For a collection held in a field of an Error or a class instance: " on the Error `X`". */
function ownerSuffix(a: HeapAnalysis, p: RetainerPath, i: number): string {
  if (i === 0) return '';
  const owner = p.nodes[i - 1];
  const cls = className(a, owner);
  if (a.snapshot.nodeTypeName(owner) !== 'object' || cls === 'Object' || cls === 'global' || cls.startsWith('global') || cls.startsWith('system /')) return '';
  return ` on the ${cls}${nameOf(a, p, i - 1)}`;
}

/** Node at i is a module's `exports` object (reached from Module → exports). */
function isModuleExports(a: HeapAnalysis, p: RetainerPath, i: number): boolean {
  return i >= 1 && a.snapshot.edgeNameString(p.edges[i - 1]) === 'exports' && className(a, p.nodes[i - 1]) === 'Module';
}

function moduleName(a: HeapAnalysis, p: RetainerPath, i: number): string {
  const registryEdge = i >= 2 ? a.snapshot.edgeNameString(p.edges[i - 2]) : '';
  const base = registryEdge.split(/[\\/]/).pop();
  return base ? `the module ${base}` : 'a module';
}

/** What lies between the holder and the named objects, when it is not the objects themselves. */
function throughText(a: HeapAnalysis, p: RetainerPath, keptFrom: number, name: string): string {
  const last = p.nodes.length - 1;
  if (keptFrom >= last) return '';
  const top = p.nodes[keptFrom];
  const topClass = className(a, top);
  // The holder sentence already names timers and promises.
  if (topClass === name || topClass === 'Timeout' || topClass === 'Immediate' || topClass === 'Promise') return '';
  if (topClass === 'Generator') return ' in suspended async functions';
  const captured: string[] = [];
  for (let j = keptFrom; j < last; j++) {
    if (a.snapshot.edgeTypeName(p.edges[j]) === 'context') captured.push(a.snapshot.edgeNameString(p.edges[j]));
  }
  if (a.snapshot.nodeTypeName(top) === 'closure') {
    const name = a.snapshot.nodeNameString(top);
    const boundThis = p.edges.slice(keptFrom).some((e) => a.snapshot.edgeNameString(e) === 'bound_this');
    if (name.startsWith('bound ') || name === 'native_bind' || boundThis) return ' through bound functions (`fn.bind(obj)` keeps `obj` as its `this`)';
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
function closureAbove(a: HeapAnalysis, p: RetainerPath, i: number): string | null {
  for (let j = i - 1; j >= 0 && j >= i - 4; j--) {
    const n = p.nodes[j];
    if (a.snapshot.nodeTypeName(n) === 'closure') return a.snapshot.nodeNameString(n) || '(anonymous)';
  }
  return null;
}

function timerCallback(a: HeapAnalysis, p: RetainerPath, i: number): string {
  const next = p.edges[i];
  return next !== undefined && a.snapshot.edgeNameString(next) === '_onTimeout' ? ' through its callback' : '';
}

