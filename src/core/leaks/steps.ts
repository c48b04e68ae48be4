// A retainer path read in domain words: each step is the node reached and the edge that
// reached it, so explanation code says `step.via.name` and `step.isClosure`, not
// `a.snapshot.edgeNameString(p.edges[i - 1])`.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className, closureName } from '../describe';

/** What naming a step needs (an analysis, or a hand-made one in tests). */
export type StepSource = Pick<HeapAnalysis, 'snapshot' | 'kinds'>;

export interface EdgeView {
  /** Edge ordinal. */
  edge: number;
  /** Property, variable or index, as V8 wrote it. */
  name: string;
  /** 'property', 'context', 'element', 'internal', 'hidden', 'shortcut', 'weak'. */
  type: string;
}

export interface PathStep {
  /** Position in the path (0 = the root). */
  at: number;
  node: number;
  /**
   * Class as in DevTools' Summary (`Function` for closures), except for an object given
   * another class's prototype after it was made: its prototype's class (personClass).
   */
  className: string;
  /** V8's node name (a closure's function name, `bound f` for a bound one; a string's text). */
  name: string;
  /** V8's node type ('object', 'closure', 'synthetic', …). */
  type: string;
  /** The edge into this node from the step above; null for the root. */
  via: EdgeView | null;
  isClosure: boolean;
  /** V8's closure scope (`system / Context`). */
  isContext: boolean;
}

export function pathSteps(a: StepSource, p: RetainerPath): PathStep[] {
  const s = a.snapshot;
  return p.nodes.map((node, at) => {
    const e = at > 0 ? p.edges[at - 1] : -1;
    const type = s.nodeTypeName(node);
    const name = type === 'closure' ? closureName(a, node) : s.nodeNameString(node);
    return {
      at,
      node,
      className: personClass(a, node),
      name,
      type,
      via: e < 0 ? null : { edge: e, name: s.edgeNameString(e), type: s.edgeTypeName(e) },
      isClosure: type === 'closure',
      isContext: name === 'system / Context',
    };
  });
}

/**
 * The class a person knows an object by. V8 names an object after the constructor that made
 * it; Node makes some objects as one class and then gives them another's prototype (an
 * AbortSignal is made as an EventTarget, `ObjectSetPrototypeOf(new EventTarget(),
 * AbortSignal.prototype)`): `instanceof` and the program say the prototype's class.
 */
export function personClass(a: StepSource, n: number): string {
  const cls = className(a, n);
  if (a.snapshot.nodeType[n] !== a.kinds.object) return cls;
  const proto = protoOf(a, n);
  const protoClass = proto >= 0 && a.snapshot.nodeType[proto] === a.kinds.object ? className(a, proto) : '';
  if (!/^[A-Z][\w$]*$/.test(protoClass) || protoClass === cls || protoClass === 'Object') return cls;
  // Only a more specific class than the one that made it: its own class is further up the
  // prototype chain (AbortSignal.prototype → EventTarget.prototype). `process`, whose
  // prototype is named otherwise, stays `process`.
  for (let p = protoOf(a, proto), depth = 0; p >= 0 && depth < 4; p = protoOf(a, p), depth++)
    if (className(a, p) === cls) return protoClass;
  return cls;
}

/** The object a `__proto__` property points to, or -1. */
function protoOf(a: StepSource, n: number): number {
  const s = a.snapshot;
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++)
    if (s.edgeType[e] === a.kinds.eProperty && s.edgeNameString(e) === '__proto__') return s.edgeTarget[e];
  return -1;
}

/** A closure's function name as a person writes it. */
export function functionName(step: PathStep): string {
  return step.name || '(anonymous)';
}

/** The file name of a module path (`/abs/src/books.js` → `books.js`). */
export function fileBase(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** An edge name that is a file path or URL: how Node's module registry keys its modules. */
export function isModuleKey(name: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|file:|node:)/.test(name);
}
