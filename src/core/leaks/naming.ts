// How a leak is named: after the class a person knows (the program's own, the top of the kept
// subtree), never after a generic container or Node's internals; closures after their function.
// Split from detect.ts, which finds the leaks.

import { HeapAnalysis } from '../graph/analysis';
import { AllocationIndex } from '../allocation';
import { childNamed, scriptOfClosure } from '../workbench/scripts';

/** What naming needs of a family: its top class and objects, and its members by class. */
export interface NamedFamily {
  rootClass: string;
  roots: number[];
  byClass: Map<string, number[]>;
}

/** Classes that say little on their own: a leak is better named after what they hold. */
export const GENERIC = new Set([
  'Object',
  'Array',
  'Function',
  '(string)',
  '(concatenated string)',
  '(sliced string)',
  'RegExp',
  '(bigint)',
  '(symbol)',
  'Promise',
  'Map',
  'Set',
  'Error',
  'TypeError',
  'RangeError',
  'AggregateError',
  'Generator',
  'AsyncGenerator',
  'Timeout',
  'Immediate',
  'WeakRef',
  'ArrayBuffer',
  'Uint8Array',
  'Buffer',
]);

/** How well a class names a leak: the program's own, then a container (Array, Map), then strings and V8's own. */
export function nameRank(cls: string): number {
  return namedClass(cls) ? 2 : cls.startsWith('(') || cls.startsWith('system /') ? 0 : 1;
}

/** A class a person would name a leak after (not a generic container or V8's own). */
export function namedClass(cls: string): boolean {
  return !GENERIC.has(cls) && !cls.startsWith('system /') && !cls.startsWith('(');
}

/** The name a leak is known by: its class, or for closures the function's name. */
export function leakName(g: { className: string; functionName?: string }): string {
  return g.functionName ?? g.className;
}

/** The function most of the closures are instances of. */
export function commonFunctionName(a: HeapAnalysis, members: number[]): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members.slice(0, 2000)) {
    const name = a.snapshot.nodeNameString(m);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [name, c] of counts) if (best === undefined || c > counts.get(best)!) best = name;
  return best;
}

/**
 * Who a named class belongs to, judged from one of its objects: 'own' for the program's or a
 * package's class; 'node' for one of Node's own (EventEmitter, Socket, AbortController: the
 * plumbing a package uses, seldom what a person knows the leak by); 'none' for generic
 * containers, V8's own, and objects Node's own code allocates (an EventTarget's listener records).
 */
type Tier = 'own' | 'node' | 'none';

function tier(a: HeapAnalysis, cls: string, example: number, allocations: AllocationIndex): Tier {
  if (!namedClass(cls)) return 'none';
  const top = allocations.stackOf(example)?.[0];
  if (top !== undefined && top.scriptName.startsWith('node:')) return 'none';
  return definedByNode(a, example) ? 'node' : 'own';
}

/** nameRank, with the program's and packages' classes above Node's: which of two leaks of one cause names it. */
export function classRank(
  a: HeapAnalysis,
  cls: string,
  example: number,
  allocations: AllocationIndex,
): number {
  return nameRank(cls) + (tier(a, cls, example, allocations) === 'own' ? 1 : 0);
}

/**
 * The class a leak is named after: the top of the kept subtree when it is the program's or a
 * package's class, else the class holding most of the family's bytes, the program's and
 * packages' classes first, then Node's.
 */
export function nameClass(a: HeapAnalysis, f: NamedFamily, allocations: AllocationIndex): string {
  // The top of the kept subtree is what the program created or was handed: what it points to
  // is its payload, never its name.
  const rootTier = tier(a, f.rootClass, f.roots[0], allocations);
  if (rootTier === 'own') return f.rootClass;
  const tiers = new Map([...f.byClass].map(([c, m]) => [c, tier(a, c, m[0], allocations)]));
  const any = (t: Tier[]): boolean => [...tiers.values()].some((x) => t.includes(x));
  // Nothing the program names: closures at the top are named by their function, not by
  // the strings they capture; one of Node's classes at the top names it before one it holds.
  if (f.rootClass === 'Function' && !any(['own', 'node'])) return f.rootClass;
  if (rootTier === 'node' && !any(['own'])) return f.rootClass;
  const BONUS: Record<Tier, number> = { own: 2e15, node: 1e15, none: 0 };
  let best = f.rootClass;
  let bestScore = -1;
  for (const [cls, members] of f.byClass) {
    let size = 0;
    for (const m of members) size += a.retainedSize[m];
    const score = BONUS[tiers.get(cls)!] + size;
    if (score > bestScore) {
      best = cls;
      bestScore = score;
    }
  }
  return best;
}

/** Whether an object's class is defined in Node's own code: its prototype's constructor is. */
function definedByNode(a: HeapAnalysis, n: number): boolean {
  const proto = childNamed(a, n, '__proto__');
  const ctor = proto < 0 ? -1 : childNamed(a, proto, 'constructor');
  return (
    ctor >= 0 && a.snapshot.nodeType[ctor] === a.kinds.closure && scriptOfClosure(a, ctor).startsWith('node:')
  );
}
