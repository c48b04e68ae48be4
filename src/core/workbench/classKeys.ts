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

export class ClassKeys {
  readonly groups: ClassGroup[] = [];
  /** Group of each node, computed on first use. */
  private readonly ofNode: Int32Array;
  private readonly byKey = new Map<string, number>();

  constructor(private readonly a: HeapAnalysis, readonly scripts: ScriptIndex = new ScriptIndex(a)) {
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

/** `{url, body, storedAt}`: the object's own named properties in the order V8 lists them. */
export function propertyListName(a: HeapAnalysis, n: number): string {
  const s = a.snapshot;
  const names: string[] = [];
  let more = false;
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeType[e] !== a.kinds.eProperty) continue;
    const name = s.strings[s.edgeNameOrIndex[e]];
    if (name === '__proto__' || name === 'map' || names.includes(name)) continue;
    if (names.length === MAX_NAMED_PROPERTIES) { more = true; break; }
    names.push(name);
  }
  if (names.length === 0) return 'Object';
  return `{${names.join(', ')}${more ? ', …' : ''}}`;
}

/** `config-a.js:3:1`: the file's base name, enough to tell two rows apart at a glance. */
export function shortLocation(l: NodeLocation): string {
  const base = l.script.split(/[\\/]/).pop() || `script ${l.scriptId}`;
  return `${base}:${l.line + 1}:${l.column + 1}`;
}
