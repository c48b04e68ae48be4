// How a leak is named: after the class a person knows (the program's own, the top of the kept
// subtree), never after a generic container or Node's internals; closures after their function.
// Split from detect.ts, which finds the leaks.

import { HeapAnalysis } from '../graph/analysis';
import { AllocationIndex } from '../allocation';

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
 * The class a leak is named after: the one holding most of the family's bytes, among the
 * program's own classes first (not generic containers, not classes Node itself allocates,
 * such as the records behind an EventTarget's listeners).
 */
export function nameClass(a: HeapAnalysis, f: NamedFamily, allocations: AllocationIndex): string {
  // The top of the kept subtree is what the program created or was handed: what it points to
  // is its payload, never its name.
  if (meaningful(f.rootClass, f.roots[0], allocations)) return f.rootClass;
  let best = f.rootClass;
  let bestScore = -1;
  // Nothing the program names: closures at the top are named by their function, not by
  // the strings they capture.
  if (
    f.rootClass === 'Function' &&
    ![...f.byClass.keys()].some((c) => meaningful(c, f.byClass.get(c)![0], allocations))
  )
    return f.rootClass;
  for (const [cls, members] of f.byClass) {
    let size = 0;
    for (const m of members) size += a.retainedSize[m];
    const score = (meaningful(cls, members[0], allocations) ? 1e15 : 0) + size;
    if (score > bestScore) {
      best = cls;
      bestScore = score;
    }
  }
  return best;
}

/** A class worth naming a leak after: the program's own (not generic, not Node's internals). */
function meaningful(cls: string, example: number, allocations: AllocationIndex): boolean {
  if (!namedClass(cls)) return false;
  const top = allocations.stackOf(example)?.[0];
  return !(top !== undefined && top.scriptName.startsWith('node:'));
}
