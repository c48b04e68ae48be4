// How a leak is named: after the class a person knows (the program's own, the top of the kept
// subtree), never after a generic container or Node's internals; closures after their function.
// Split from detect.ts, which finds the leaks.

import { HeapAnalysis } from '../graph/analysis';
import { AllocationIndex } from '../allocation';
import { closureName } from '../describe';
import { RetainerPath } from '../paths';
import { personClass } from './steps';
import { childNamed, packageOf, scriptOfClosure } from '../workbench/scripts';

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

/**
 * The function most of the closures are instances of; for anonymous functions, the variable
 * or property most of them are kept in (graceful-fs's `origCwd`, each load's saved
 * `process.cwd`), as V8 names an arrow after the variable it is assigned to.
 */
export function commonFunctionName(a: HeapAnalysis, members: number[]): string | undefined {
  const counts = new Map<string, number>();
  const held = new Map<string, number>();
  for (const m of members.slice(0, 2000)) {
    const name = closureName(a, m);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
    else {
      const slot = slotName(a, m);
      if (slot) held.set(slot, (held.get(slot) ?? 0) + 1);
    }
  }
  const slot = mostCommon(held);
  // Anonymous functions kept in slots of several names (two chains of wrappers) are named by
  // the file that defines them.
  if (counts.size === 0 && slot && 3 * held.get(slot)! < 2 * sum(held)) {
    const file = scriptOfClosure(a, members[0]);
    if (file) return `(anonymous) in ${file.split(/[\\/]/).pop()}`;
  }
  return mostCommon(counts) ?? slot;
}

function mostCommon(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  for (const [name, c] of counts) if (best === undefined || c > counts.get(best)!) best = name;
  return best;
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  return total;
}

/** The name of a variable or property that holds node n (an identifier), if any. */
function slotName(a: HeapAnalysis, n: number): string | undefined {
  const s = a.snapshot;
  const { firstRetainer, retainerEdge } = a.retainers;
  for (let i = firstRetainer[n]; i < firstRetainer[n + 1]; i++) {
    const e = retainerEdge[i];
    const t = s.edgeType[e];
    if (t !== a.kinds.eProperty && t !== a.kinds.eContext) continue;
    const name = s.edgeNameString(e);
    if (/^[A-Za-z_$][\w$]*$/.test(name) && name !== '__proto__' && name !== 'constructor') return name;
  }
  return undefined;
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
  return definedByNode(a, example) || packagePrivate(a, example) ? 'node' : 'own';
}

/**
 * Whether an object's class is one a package keeps to itself: defined in a package, and held by
 * no property but its prototype's `constructor` (no `exports.X = X`, no `module.exports = X`, no
 * static field). Such a class is the package's bookkeeping (eventemitter3's `EE`, the record of
 * one listener), as plumbing as Node's own; the object it holds is what the program knows.
 */
function packagePrivate(a: HeapAnalysis, n: number): boolean {
  return privatePackage(a, n) !== null;
}

/** The package whose private class (packagePrivate) an object is of, or null. */
export function privatePackage(a: HeapAnalysis, n: number): string | null {
  const proto = childNamed(a, n, '__proto__');
  const ctor = proto < 0 ? -1 : childNamed(a, proto, 'constructor');
  if (ctor < 0 || a.snapshot.nodeType[ctor] !== a.kinds.closure) return null;
  const owner = packageOf(scriptOfClosure(a, ctor));
  if (owner === '(app)' || owner === '(unknown)' || owner === '(node)') return null;
  const s = a.snapshot;
  const { firstRetainer, retainerEdge } = a.retainers;
  for (let i = firstRetainer[ctor]; i < firstRetainer[ctor + 1]; i++) {
    const e = retainerEdge[i];
    if (s.edgeType[e] !== a.kinds.eProperty) continue;
    const name = s.edgeNameString(e);
    if (name !== 'constructor' && name !== '__proto__') return null;
  }
  return owner;
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
 * package's class; else the class whose constructor made that top (ownerOfTops); else the class
 * holding most of the family's bytes, the program's and packages' classes first, then Node's,
 * and within each, the classes the user's own call made first (madeByTheCall).
 */
export function nameClass(a: HeapAnalysis, f: NamedFamily, allocations: AllocationIndex): string {
  return nameFamily(a, f, allocations).name;
}

/**
 * The leak's name and its members: the objects of that class, or, when the name comes from the
 * constructor that made the tops, only the objects that constructor made: two classes of one
 * package may share a name (undici's fetch `Request` and its dispatcher's internal `Request`).
 */
export function nameFamily(
  a: HeapAnalysis,
  f: NamedFamily,
  allocations: AllocationIndex,
): { name: string; members: number[] } {
  const choice = chooseName(a, f, allocations);
  const all = f.byClass.get(choice.name)!;
  if (!choice.script) return { name: choice.name, members: all };
  const own = all.filter((m) => sameFile(constructorScript(a, m), choice.script!));
  return { name: choice.name, members: own.length > 0 ? own : all };
}

function chooseName(
  a: HeapAnalysis,
  f: NamedFamily,
  allocations: AllocationIndex,
): { name: string; script?: string } {
  // The top of the kept subtree is what the program created or was handed: what it points to
  // is its payload, never its name.
  const rootTier = tier(a, f.rootClass, f.roots[0], allocations);
  if (rootTier === 'own') return { name: f.rootClass };
  const tiers = new Map([...f.byClass].map(([c, m]) => [c, tier(a, c, m[0], allocations)]));
  const any = (t: Tier[]): boolean => [...tiers.values()].some((x) => t.includes(x));
  // Nothing the program names: closures at the top are named by their function, not by
  // the strings they capture; one of Node's classes at the top names it before one it holds.
  if (f.rootClass === 'Function' && !any(['own', 'node'])) return { name: f.rootClass };
  if (rootTier === 'node' && !any(['own'])) return { name: f.rootClass };
  const owner = ownerOfTops(f, tiers, allocations);
  if (owner) return owner;
  const BONUS: Record<Tier, number> = { own: 2e15, node: 1e15, none: 0 };
  const CALL_BONUS = 5e14;
  let best = f.rootClass;
  let bestScore = -1;
  for (const [cls, members] of f.byClass) {
    let size = 0;
    for (const m of members) size += a.retainedSize[m];
    const t = tiers.get(cls)!;
    const score = BONUS[t] + (t !== 'none' && madeByTheCall(members, allocations) ? CALL_BONUS : 0) + size;
    if (score > bestScore) {
      best = cls;
      bestScore = score;
    }
  }
  return { name: best };
}

/**
 * The kept class whose constructor made the tops of the kept subtree, when most tops say so.
 * What the holder keeps directly is often no object a person knows but a closure or a record
 * (an 'abort' handler a package's Request registers on the caller's signal, a bound method, a
 * timer): it belongs to the object whose constructor created it, and that object's class is
 * what the leak is known by, whatever else holds more bytes (undici's fetch controller). The
 * allocation stack is read from the innermost frame out to the first frame of the program's
 * own code: beyond it are the program's callers, which made nothing of the package's.
 */
function ownerOfTops(
  f: NamedFamily,
  tiers: Map<string, Tier>,
  allocations: AllocationIndex,
): { name: string; script: string } | null {
  const votes = new Map<string, number>();
  const scripts = new Map<string, string>();
  let recorded = 0;
  for (const r of f.roots.slice(0, SAMPLE)) {
    const frames = allocations.stackOf(r);
    if (!frames) continue;
    recorded++;
    for (const frame of frames) {
      if (frame.functionName !== f.rootClass && tiers.get(frame.functionName) === 'own') {
        votes.set(frame.functionName, (votes.get(frame.functionName) ?? 0) + 1);
        scripts.set(frame.functionName, frame.scriptName);
        break;
      }
      if (packageOf(frame.scriptName) === '(app)') break;
    }
  }
  for (const [name, n] of votes) if (2 * n > recorded) return { name, script: scripts.get(name)! };
  return null;
}

/**
 * Whether most of a class's objects (of those V8 kept a record for) were allocated inside the
 * user's own call, their allocation stack reaching the program's code: what a call into a
 * package made (got's PCancelable, the promise `got()` returns), not what the package made
 * later on its own, in a callback of its I/O (got's CachePolicy, an HTTP response).
 */
function madeByTheCall(members: number[], allocations: AllocationIndex): boolean {
  let recorded = 0;
  let fromCall = 0;
  for (const m of members.slice(0, SAMPLE)) {
    const frames = allocations.stackOf(m);
    if (!frames) continue;
    recorded++;
    if (frames.some((x) => packageOf(x.scriptName) === '(app)')) fromCall++;
  }
  return recorded > 0 && 2 * fromCall >= recorded;
}

/** Objects whose allocation stacks are read per class: enough to tell a majority. */
const SAMPLE = 200;

/** The script an object's class is defined in (its prototype's constructor's), or ''. */
function constructorScript(a: HeapAnalysis, n: number): string {
  const proto = childNamed(a, n, '__proto__');
  const ctor = proto < 0 ? -1 : childNamed(a, proto, 'constructor');
  return ctor >= 0 && a.snapshot.nodeType[ctor] === a.kinds.closure ? scriptOfClosure(a, ctor) : '';
}

/** One file named two ways (a path, or its file: URL). */
function sameFile(x: string, y: string): boolean {
  const norm = (f: string): string => f.replace(/^file:\/\//, '');
  return x !== '' && norm(x) === norm(y);
}

/** Whether an object's class is defined in Node's own code: its prototype's constructor is. */
function definedByNode(a: HeapAnalysis, n: number): boolean {
  const proto = childNamed(a, n, '__proto__');
  const ctor = proto < 0 ? -1 : childNamed(a, proto, 'constructor');
  return (
    ctor >= 0 && a.snapshot.nodeType[ctor] === a.kinds.closure && scriptOfClosure(a, ctor).startsWith('node:')
  );
}

/**
 * For a leak of plain objects or arrays (no class among them a person knows): the class of the
 * object whose field holds their container, when it is one a person knows (prom-client's
 * `Counter`, whose `hashMap` gains an entry per label value). Null otherwise.
 */
export function containerOwnerClass(a: HeapAnalysis, p: RetainerPath): string | null {
  const s = a.snapshot;
  for (let i = p.nodes.length - 1; i >= 2 && i >= p.nodes.length - 4; i--) {
    const e = p.edges[i - 1];
    if (s.edgeType[e] !== a.kinds.eProperty || !/^[A-Za-z_$#][\w$]*$/.test(s.edgeNameString(e))) continue;
    const cls = personClass(a, p.nodes[i - 1]);
    return namedClass(cls) && cls !== 'global' && !cls.startsWith('global') ? cls : null;
  }
  return null;
}

/**
 * The other classes a leak keeps, as "also keeps" lists them: by the class a person knows
 * (an AbortSignal, not the EventTarget Node made it as), leaving out Node's own closures (the
 * `abortListener`s and `bound onceWrapper`s its plumbing hangs on every object it tracks),
 * which name nothing the program wrote.
 */
export function alsoKept(
  a: HeapAnalysis,
  byClass: Map<string, number[]>,
  leak: string,
  skip: (cls: string) => boolean,
): { className: string; count: number }[] {
  const out = new Map<string, number>();
  for (const [cls, list] of byClass) {
    if (cls === leak || skip(cls) || list.length === 0 || nodeOwnClosure(a, list[0])) continue;
    // Objects by their prototype's class; anything else (closures) by the family's own name.
    const shown = a.snapshot.nodeType[list[0]] === a.kinds.object ? personClass(a, list[0]) : cls;
    if (shown === leak) continue;
    out.set(shown, (out.get(shown) ?? 0) + list.length);
  }
  return [...out].map(([className, count]) => ({ className, count }));
}

/** A closure defined in Node's own code, or a bound function of one. */
export function nodeOwnClosure(a: HeapAnalysis, n: number): boolean {
  if (a.snapshot.nodeType[n] !== a.kinds.closure) return false;
  const target = childNamed(a, n, 'bound_function');
  return scriptOfClosure(a, target >= 0 ? target : n).startsWith('node:');
}
