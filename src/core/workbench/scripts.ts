// Which script a node belongs to, without allocation tracking. V8 records a source position
// (`locations`) for every closure and, for an object, the position of its constructor; a
// closure's SharedFunctionInfo points at its Script, whose node is named by the script's
// URL. Together they give a script id → name table and so a file for most objects.

import { HeapAnalysis } from '../graph/analysis';
import { AllocationIndex } from '../allocation';

export interface NodeLocation {
  /** Script URL or path as V8 knows it; '' when no closure of that script was seen. */
  script: string;
  scriptId: number;
  /** 0-based, as V8 writes them. */
  line: number;
  column: number;
}

/** One per analysis: the suspects, the Summary, attribution and the dominator tree share it. */
const shared = new WeakMap<HeapAnalysis, ScriptIndex>();

export class ScriptIndex {
  /** The analysis's one index, built on first use. */
  static of(a: HeapAnalysis): ScriptIndex {
    let index = shared.get(a);
    if (!index) shared.set(a, (index = new ScriptIndex(a)));
    return index;
  }

  private allocationIndex: AllocationIndex | null = null;
  private readonly nameOfScript = new Map<number, string>();
  /** Row of each node in `locations` (times the row width), or -1: a typed array, not a Map, for speed. */
  private readonly row: Int32Array;
  private readonly fields: { script: number; line: number; column: number };

  constructor(private readonly a: HeapAnalysis) {
    const s = a.snapshot;
    const lf = s.meta.locationFields;
    const width = lf.length;
    const obj = lf.indexOf('object_index');
    const sid = lf.indexOf('script_id');
    this.fields = { script: sid, line: lf.indexOf('line'), column: lf.indexOf('column') };
    this.row = new Int32Array(s.nodeCount).fill(-1);
    if (width === 0 || obj < 0 || sid < 0) return;
    for (let i = 0; i + width <= s.locations.length; i += width) {
      const n = s.locations[i + obj];
      if (n < s.nodeCount && this.row[n] < 0) this.row[n] = i;
    }
    for (let i = 0; i + width <= s.locations.length; i += width) {
      const id = s.locations[i + sid];
      if (this.nameOfScript.has(id)) continue;
      const n = s.locations[i + obj];
      if (n >= s.nodeCount || s.nodeType[n] !== a.kinds.closure) continue;
      const name = this.scriptOfClosure(n);
      if (name) this.nameOfScript.set(id, name);
    }
  }

  /** Allocation stacks (built on first use: most views never need them). */
  get allocations(): AllocationIndex {
    return (this.allocationIndex ??= new AllocationIndex(this.a.snapshot));
  }

  get hasTraces(): boolean {
    return this.a.snapshot.traces !== null && this.a.snapshot.nodeTraceId !== null;
  }

  scriptName(scriptId: number): string {
    return this.nameOfScript.get(scriptId) ?? '';
  }

  /** The constructor's position for an object, the function's for a closure, or null. */
  locationOf(n: number): NodeLocation | null {
    const i = this.row[n];
    if (i < 0) return null;
    const loc = this.a.snapshot.locations;
    const scriptId = loc[i + this.fields.script];
    return {
      script: this.scriptName(scriptId),
      scriptId,
      line: loc[i + this.fields.line],
      column: loc[i + this.fields.column],
    };
  }

  hasLocation(n: number): boolean {
    return this.row[n] >= 0;
  }

  /** The script id of a node's location, or -1: no object is made. */
  scriptIdOf(n: number): number {
    const i = this.row[n];
    return i < 0 ? -1 : this.a.snapshot.locations[i + this.fields.script];
  }

  /** A number naming the position (script, line, column), or -1 when it does not fit 53 bits. */
  positionKey(n: number): number {
    const i = this.row[n];
    if (i < 0) return -1;
    const loc = this.a.snapshot.locations;
    const script = loc[i + this.fields.script];
    const line = loc[i + this.fields.line];
    const column = loc[i + this.fields.column];
    if (script >= 1 << 12 || line >= 1 << 20 || column >= 1 << 20) return -1;
    return (script * 2 ** 20 + line) * 2 ** 20 + column;
  }

  private scriptOfClosure(n: number): string {
    return scriptOfClosure(this.a, n);
  }
}

/** closure → shared (SharedFunctionInfo) → script_or_debug_info → Script, named by its URL; '' if unknown. */
export function scriptOfClosure(a: HeapAnalysis, n: number): string {
  const shared = childNamed(a, n, 'shared');
  if (shared < 0) return '';
  let script = childNamed(a, shared, 'script_or_debug_info');
  if (script < 0) script = childNamed(a, shared, 'script');
  if (script < 0) return '';
  const name = a.snapshot.nodeNameString(script);
  return name.startsWith('system / ') ? '' : name;
}

/** The node a named edge of `n` leads to, or -1. */
export function childNamed(a: HeapAnalysis, n: number, edgeName: string): number {
  const s = a.snapshot;
  for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
    if (s.edgeNameIs(e, edgeName)) return s.edgeTarget[e];
  }
  return -1;
}

/** "path/file.js:12:5" (1-based), or the bare script id when the name is unknown. */
export function formatLocation(l: NodeLocation): string {
  return `${l.script || `script ${l.scriptId}`}:${l.line + 1}:${l.column + 1}`;
}

/**
 * The package a file belongs to: the last `node_modules/<name>` (or `@scope/name`) in its
 * path; Node's own modules are `(node)`; anything else is the program itself, `(app)`.
 */
export function packageOf(file: string): string {
  if (file === '') return '(unknown)';
  if (file.startsWith('node:') || !/[\\/]/.test(file)) return '(node)';
  const norm = file.replace(/\\/g, '/').replace(/^file:\/\//, '');
  const i = norm.lastIndexOf('/node_modules/');
  if (i < 0) return '(app)';
  const parts = norm.slice(i + 14).split('/');
  return parts[0].startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
}
