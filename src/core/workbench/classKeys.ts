// Classes as DevTools' Summary counts them since Chrome 120: a constructor *and* the place it
// was defined (two `Config` classes from two files are two rows), plain objects by their
// property list (`{url, body, storedAt}`), closures by function name and position.

import { HeapAnalysis } from '../graph/analysis';
import { className } from '../describe';
import { NodeLocation, ScriptIndex } from './scripts';

export interface ClassGroup {
  /** What a person reads: `Config`, `{url, body, storedAt}`, `handler()`. Untrusted heap text. */
  name: string;
  /** Where the constructor or function was defined, when V8 recorded it. */
  location: NodeLocation | null;
}

/** Past this many properties a plain object's name ends in an ellipsis, as in DevTools. */
const MAX_NAMED_PROPERTIES = 6;

/** One per analysis, so a node's group is computed once whichever view asks first. */
const shared = new WeakMap<HeapAnalysis, ClassKeys>();

export class ClassKeys {
  /** The analysis's one set of class keys (over its one ScriptIndex), built on first use. */
  static of(a: HeapAnalysis): ClassKeys {
    let keys = shared.get(a);
    if (!keys) shared.set(a, (keys = new ClassKeys(a, ScriptIndex.of(a))));
    return keys;
  }

  readonly groups: ClassGroup[] = [];
  /** Group of each node, computed on first use. */
  private readonly ofNode: Int32Array;
  private readonly byKey = new Map<string, number>();
  /** Fast paths, no string built: by name index, by (name index, position), by hidden class. */
  private readonly byName = new Map<number, number>();
  private readonly byPosition = new Map<number, Map<number, number>>();
  private readonly byHiddenClass = new Map<number, number>();

  constructor(
    private readonly a: HeapAnalysis,
    readonly scripts: ScriptIndex = ScriptIndex.of(a),
  ) {
    this.ofNode = new Int32Array(a.snapshot.nodeCount).fill(-1);
  }

  groupOf(n: number): number {
    let g = this.ofNode[n];
    if (g < 0) this.ofNode[n] = g = this.compute(n);
    return g;
  }

  /** The group's name with its location: `Config (config-a.js:3:1)`. */
  label(g: number): string {
    const { name, location } = this.groups[g];
    return location ? `${name} (${shortLocation(location)})` : name;
  }

  private compute(n: number): number {
    const a = this.a;
    const s = a.snapshot;
    const t = s.nodeType[n];
    const k = a.kinds;
    if (t === k.object || t === k.closure) {
      const nameIndex = s.nodeName[n];
      if (t === k.object && s.strings.equals(nameIndex, 'Object')) {
        // Objects of one hidden class have one property list.
        const map = namedChild(a, n, 'map');
        const known = map < 0 ? undefined : this.byHiddenClass.get(map);
        if (known !== undefined) return known;
        const g = this.slow(n);
        if (map >= 0) this.byHiddenClass.set(map, g);
        return g;
      }
      const pos = this.scripts.positionKey(n);
      if (pos >= 0) {
        // A class's instances and its constructor share name and position: the type tells them apart.
        const nameKey = nameIndex * 2 + (t === k.closure ? 1 : 0);
        let inner = this.byPosition.get(nameKey);
        if (!inner) this.byPosition.set(nameKey, (inner = new Map()));
        let g = inner.get(pos);
        if (g === undefined) inner.set(pos, (g = this.slow(n)));
        return g;
      }
      if (!this.scripts.hasLocation(n)) {
        let g = this.byName.get(nameIndex * 2 + (t === k.closure ? 1 : 0));
        if (g === undefined) this.byName.set(nameIndex * 2 + (t === k.closure ? 1 : 0), (g = this.slow(n)));
        return g;
      }
    }
    if (t !== k.native) {
      // Every other type is one class per type ('(string)', '(compiled code)', 'RegExp'…).
      let g = this.byType[t];
      if (g === undefined) this.byType[t] = g = this.slow(n);
      return g;
    }
    return this.slow(n);
  }

  private readonly byType: number[] = [];

  private slow(n: number): number {
    const a = this.a;
    const s = a.snapshot;
    const t = s.nodeType[n];
    let name = className(a, n);
    let location: NodeLocation | null = null;
    if (t === a.kinds.object && name === 'Object') {
      name = propertyListName(a, n);
    } else if (t === a.kinds.object || t === a.kinds.closure) {
      location = this.scripts.locationOf(n);
      if (t === a.kinds.closure) name = `${s.nodeNameString(n) || '(anonymous)'}()`;
    }
    const key = location ? `${name}\u0000${location.scriptId}:${location.line}:${location.column}` : name;
    let g = this.byKey.get(key);
    if (g === undefined) {
      g = this.groups.length;
      this.groups.push({ name, location });
      this.byKey.set(key, g);
    }
    return g;
  }
}

/**
 * `{url, body, storedAt}`: the object's own properties in definition order. Properties
 * holding small integers have no edge in a snapshot, so the names come from the hidden
 * class (map → descriptors, keys at every third slot). V8 shares one descriptor array along
 * a chain of transitions ({url} → {url, body} → …), so only a prefix of it is this object's:
 * as far as its last named edge, or as many as its in-object slots, whichever is longer.
 */
export function propertyListName(a: HeapAnalysis, n: number): string {
  const s = a.snapshot;
  const own: string[] = [];
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeType[e] !== a.kinds.eProperty) continue;
    const name = s.strings.get(s.edgeNameOrIndex[e]);
    if (name !== '__proto__' && !own.includes(name)) own.push(name);
  }
  const keys = descriptorKeys(a, n);
  let names = own;
  if (keys.length > 0) {
    const lastOwn = own.reduce((m, name) => Math.max(m, keys.indexOf(name)), -1);
    const slots = Math.floor((s.nodeSelfSize[n] - OBJECT_HEADER) / POINTER);
    const count = Math.min(keys.length, Math.max(lastOwn + 1, slots));
    names = keys.slice(0, count);
    for (const name of own) if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) return 'Object';
  const shown = names.slice(0, MAX_NAMED_PROPERTIES);
  return `{${shown.join(', ')}${names.length > shown.length ? ', …' : ''}}`;
}

/** A JSObject's map, properties and elements pointers (64-bit, no pointer compression). */
const OBJECT_HEADER = 24;
const POINTER = 8;

function descriptorKeys(a: HeapAnalysis, n: number): string[] {
  const s = a.snapshot;
  const map = namedChild(a, n, 'map');
  const descriptors = map < 0 ? -1 : namedChild(a, map, 'descriptors');
  if (descriptors < 0) return [];
  const keys: string[] = [];
  for (let e = s.firstEdge[descriptors]; e < s.firstEdge[descriptors + 1]; e++) {
    const slot = Number(s.edgeNameString(e));
    if (!Number.isInteger(slot) || slot % 3 !== 0) continue;
    const t = s.edgeTarget[e];
    if (s.nodeType[t] === a.kinds.string) keys.push(s.nodeNameString(t));
  }
  return keys;
}

function namedChild(a: HeapAnalysis, n: number, name: string): number {
  const s = a.snapshot;
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeType[e] === a.kinds.eInternal && s.strings.equals(s.edgeNameOrIndex[e], name))
      return s.edgeTarget[e];
  }
  return -1;
}

/** `config-a.js:3:1`: the file's base name, enough to tell two rows apart at a glance. */
export function shortLocation(l: NodeLocation): string {
  const base = l.script.split(/[\\/]/).pop() || `script ${l.scriptId}`;
  return `${base}:${l.line + 1}:${l.column + 1}`;
}
