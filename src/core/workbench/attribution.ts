// Retained size by package or by file: every byte charged once, to the owner of the nearest
// object above it in the dominator tree that has one. An object's owner is where it was
// allocated (the innermost frame outside Node's own code, when allocations were tracked), or
// else where its constructor or function was defined. Plain objects, arrays and strings have
// neither, so they belong to whatever dominates them; so do instances of Node's own classes
// held by an owned object (a Timeout the program made is the program's). Because each
// node's self size goes to exactly one owner, the rows add up to the heap.

import { HeapAnalysis } from '../graph/analysis';
import { dominatedNodes } from '../classes';
import { packageOf, ScriptIndex } from './scripts';

export type AttributionKey = 'package' | 'file';

export interface AttributionRow {
  /** A package name, `(app)`, `(node)`, a file path, or `(no owner)`. Untrusted heap text. */
  name: string;
  /** Bytes charged to it (self sizes of the nodes it owns, dominator-disjoint). */
  retainedSize: number;
  /** Nodes whose self size is charged to it. */
  count: number;
  /** Snapshot id of its largest top-level object. */
  largestId: number;
}

export interface Attribution {
  by: AttributionKey;
  total: number;
  /** Whether owners came from allocation stacks (else from definition sites). */
  fromAllocationStacks: boolean;
  rows: AttributionRow[];
}

const NO_OWNER = '(no owner)';

export function attribute(
  a: HeapAnalysis,
  by: AttributionKey,
  scripts: ScriptIndex = new ScriptIndex(a),
): Attribution {
  const s = a.snapshot;
  const n = s.nodeCount;
  const names: string[] = [NO_OWNER];
  const index = new Map<string, number>([[NO_OWNER, 0]]);
  const keyOf = (file: string): number => {
    const name = by === 'package' ? packageOf(file) : file;
    let k = index.get(name);
    if (k === undefined) {
      k = names.length;
      names.push(name);
      index.set(name, k);
    }
    return k;
  };
  const scriptKey = new Map<string, number>();
  const ownerOfFile = (file: string): number => {
    let k = scriptKey.get(file);
    if (k === undefined) scriptKey.set(file, (k = keyOf(file)));
    return k;
  };
  // Most owners come from a script id: resolve each id once.
  const byScriptId = new Map<number, { key: number; node: boolean } | null>();
  const traced = scripts.hasTraces;
  const nodeKey = (v: number): { key: number; node: boolean } | null => {
    if (!traced) {
      const t = s.nodeType[v];
      if (t !== a.kinds.object && t !== a.kinds.closure) return null;
      const id = scripts.scriptIdOf(v);
      if (id < 0) return null;
      let k = byScriptId.get(id);
      if (k === undefined) {
        const file = scripts.scriptName(id);
        byScriptId.set(id, (k = file ? { key: ownerOfFile(file), node: file.startsWith('node:') } : null));
      }
      return k;
    }
    const file = ownFile(a, scripts, v);
    return file ? { key: ownerOfFile(file), node: file.startsWith('node:') } : null;
  };
  const owner = new Uint32Array(n); // 0 = no owner
  const sizes: number[] = [];
  const counts: number[] = [];
  const largest: number[] = [];
  const { first, list } = dominatedNodes(a);
  const stack = [s.rootOrdinal];
  while (stack.length) {
    const v = stack.pop()!;
    const inherited = v === s.rootOrdinal ? 0 : owner[a.idom[v]];
    const own = nodeKey(v);
    const k = own && !(own.node && inherited !== 0) ? own.key : inherited;
    owner[v] = k;
    sizes[k] = (sizes[k] ?? 0) + a.selfSize[v];
    if (a.selfSize[v]) counts[k] = (counts[k] ?? 0) + 1;
    if (k !== inherited && (largest[k] === undefined || a.retainedSize[v] > a.retainedSize[largest[k]]))
      largest[k] = v;
    for (let j = first[v]; j < first[v + 1]; j++) stack.push(list[j]);
  }
  const rows: AttributionRow[] = names.map((name, k) => ({
    name,
    retainedSize: sizes[k] ?? 0,
    count: counts[k] ?? 0,
    largestId: largest[k] === undefined ? 0 : s.nodeId[largest[k]],
  }));
  return {
    by,
    total: a.retainedSize[s.rootOrdinal],
    fromAllocationStacks: traced,
    rows: rows.filter((r) => r.retainedSize > 0).sort((x, y) => y.retainedSize - x.retainedSize),
  };
}

/** The file that owns a node by itself: its allocation frame, else its definition site. */
function ownFile(a: HeapAnalysis, scripts: ScriptIndex, v: number): string {
  const stack = scripts.allocations.stackOf(v, 16);
  if (stack) {
    const frame =
      stack.find((f) => f.scriptName !== '' && !f.scriptName.startsWith('node:')) ??
      stack.find((f) => f.scriptName !== '');
    if (frame) return frame.scriptName;
  }
  const t = a.snapshot.nodeType[v];
  if (t !== a.kinds.object && t !== a.kinds.closure) return '';
  return scripts.locationOf(v)?.script ?? '';
}
