// Names for nodes and edges as a person reads them. Heap text is untrusted: these return
// plain strings, and every place that shows them escapes them.

import { HeapAnalysis } from './graph/analysis';
import { GraphEdgeKind, GraphNodeKind } from './report';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** What naming a node needs: the snapshot and its type numbers (no analysis). */
export type Named = Pick<HeapAnalysis, 'snapshot' | 'kinds'>;

/** The class a node is counted under, as in DevTools' Summary view. */
export function className(a: Named, n: number): string {
  const s = a.snapshot;
  const k = a.kinds;
  const t = s.nodeType[n];
  switch (t) {
    case k.hidden:
      return '(system)';
    case k.object:
    case k.native: {
      const name = s.nodeNameString(n);
      // DOM-ish names like '<div id="a">' collapse to their tag.
      if (name.startsWith('<') || name.startsWith('Detached <')) {
        const space = name.indexOf(' ', name.startsWith('<') ? 0 : 10);
        return space >= 0 ? name.slice(0, space) + '>' : name;
      }
      return name;
    }
    case k.code:
      return '(compiled code)';
    case k.closure:
      return 'Function';
    case k.regexp:
      return 'RegExp';
    default:
      return `(${s.nodeTypeName(n)})`;
  }
}

/**
 * A closure's function name as a person writes it: V8's name, except for a bound function,
 * which some V8 versions name after the builtin that made it (`native_bind`): it is `bound f`,
 * as `fn.bind(obj).name` says, after the function its `bound_function` edge points to.
 */
export function closureName(a: Named, n: number): string {
  const s = a.snapshot;
  const name = s.nodeNameString(n);
  if (name !== 'native_bind') return name;
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeType[e] === a.kinds.eInternal && s.edgeNameString(e) === 'bound_function')
      return `bound ${closureName(a, s.edgeTarget[e])}`;
  }
  return 'bound (anonymous)';
}

/** What the node is called in a path: a class for objects, the function name for closures. */
export function nodeLabel(a: HeapAnalysis, n: number): string {
  const s = a.snapshot;
  const k = a.kinds;
  const t = s.nodeType[n];
  if (n === s.rootOrdinal) return '(GC roots)';
  if (t === k.closure) return `${closureName(a, n) || '(anonymous)'}()`;
  if (t === k.object || t === k.native || t === k.synthetic) return s.nodeNameString(n);
  if (t === k.string || t === k.consString || t === k.slicedString) return 'string';
  if (t === k.number) return 'number';
  return s.nodeNameString(n) || `(${s.nodeTypeName(n)})`;
}

/** A short preview of a value (strings and numbers), cut to `max` characters. */
export function valuePreview(a: HeapAnalysis, n: number, max = 60): string | undefined {
  const s = a.snapshot;
  const k = a.kinds;
  const t = s.nodeType[n];
  if (t === k.string || t === k.slicedString || t === k.number) {
    const v = s.nodeNameString(n);
    return v.length > max ? v.slice(0, max - 1) + '…' : v;
  }
  return undefined;
}

export function nodeKind(a: HeapAnalysis, n: number): GraphNodeKind {
  const s = a.snapshot;
  const k = a.kinds;
  const t = s.nodeType[n];
  if (n === s.rootOrdinal || t === k.synthetic) return 'root';
  if (t === k.closure) return 'closure';
  if (t === k.array) return 'array';
  if (t === k.string || t === k.consString || t === k.slicedString) return 'string';
  if (t === k.code) return 'code';
  if (t === k.number || t === k.bigint) return 'number';
  if (t === k.native) return 'native';
  if (t === k.hidden || t === k.objectShape) return 'system';
  if (t === k.object && s.nodeNameString(n) === 'Array') return 'array';
  return 'object';
}

export function edgeKind(a: HeapAnalysis, e: number): GraphEdgeKind {
  const name = a.snapshot.edgeTypeName(e);
  switch (name) {
    case 'context':
    case 'element':
    case 'internal':
    case 'hidden':
    case 'shortcut':
    case 'weak':
      return name;
    default:
      return 'property';
  }
}

/** The edge's name exactly as V8 wrote it (property, variable, index as text). */
export function edgeRawName(a: HeapAnalysis, e: number): string {
  return a.snapshot.edgeNameString(e);
}

/**
 * The edge as a person reads it: `.books`, `["a b"]`, `[12]`, `context variable original`,
 * `Map entry`, `listener`. `from` is the retaining node, which decides the collection cases.
 */
export function edgeLabel(a: HeapAnalysis, e: number, from: number): string {
  const s = a.snapshot;
  const k = a.kinds;
  const t = s.edgeType[e];
  const name = s.edgeNameString(e);
  const fromName = s.nodeNameString(from);
  if (t === k.eContext) return `context variable ${name}`;
  if (t === k.eElement || t === k.eHidden) {
    if (isCollectionTable(a, from)) return collectionEntryLabel(a, from);
    return `[${name}]`;
  }
  if (t === k.eProperty || t === k.eShortcut) {
    if (fromName === 'Map' || fromName === 'Set') return name;
    return IDENTIFIER.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
  }
  if (t === k.eInternal) {
    if (name.includes('pair in WeakMap')) return 'WeakMap entry';
    if (isCollectionTable(a, from)) return collectionEntryLabel(a, from);
    return `(${name})`;
  }
  if (t === k.eWeak) return `weak ${name}`;
  return name;
}

/** The backing table of a Map or Set (V8 keeps entries in an internal array under `table`). */
function isCollectionTable(a: HeapAnalysis, n: number): boolean {
  return tableOwner(a, n) !== null;
}

function tableOwner(a: HeapAnalysis, n: number): string | null {
  const s = a.snapshot;
  const { firstRetainer, retainerEdge } = a.retainers;
  for (let i = firstRetainer[n]; i < firstRetainer[n + 1]; i++) {
    const e = retainerEdge[i];
    if (s.edgeType[e] !== a.kinds.eInternal || s.edgeNameString(e) !== 'table') continue;
    const owner = s.nodeNameString(s.edgeOwner(retainerEdge[i]));
    if (owner === 'Map' || owner === 'Set' || owner === 'WeakMap' || owner === 'WeakSet') return owner;
  }
  return null;
}

function collectionEntryLabel(a: HeapAnalysis, table: number): string {
  return `${tableOwner(a, table)} entry`;
}
