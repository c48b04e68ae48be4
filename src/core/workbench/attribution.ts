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
  scripts: ScriptIndex = ScriptIndex.of(a),
): Attribution {
  const s = a.snapshot;
  const names: string[] = [NO_OWNER];
  // Packed arrays, one slot per owner, pushed as owners appear (no holes, no `?? 0`).
  const sizes: number[] = [0];
  const counts: number[] = [0];
  const largest: number[] = [-1];
  const index = new Map<string, number>([[NO_OWNER, 0]]);
  const keyOf = (file: string): number => {
    const name = by === 'package' ? packageOf(file) : file;
    let k = index.get(name);
    if (k === undefined) {
      k = names.length;
      names.push(name);
      sizes.push(0);
      counts.push(0);
      largest.push(-1);
      index.set(name, k);
    }
    return k;
  };
  // A file's owner as one number: key * 2, plus 1 when it is Node's own code (a Node object
  // held by an owned one stays with its holder). -1: no file.
  const scriptKey = new Map<string, number>();
  const codeOfFile = (file: string): number => {
    if (!file) return -1;
    let k = scriptKey.get(file);
    if (k === undefined) scriptKey.set(file, (k = keyOf(file) * 2 + (file.startsWith('node:') ? 1 : 0)));
    return k;
  };
  // Without allocation stacks most owners come from a script id: each id is resolved once,
  // into a typed array indexed by the id (script ids are small integers), -2 = not yet.
  let byScriptId = new Int32Array(256).fill(-2);
  const codeOfScript = (id: number): number => {
    if (id >= byScriptId.length) {
      const grown = new Int32Array(Math.max(id + 1, byScriptId.length * 2)).fill(-2);
      grown.set(byScriptId);
      byScriptId = grown;
    }
    let c = byScriptId[id];
    if (c === -2) byScriptId[id] = c = codeOfFile(scripts.scriptName(id));
    return c;
  };
  const traced = scripts.hasTraces;
  const { object, closure } = a.kinds;
  const { nodeType, rootOrdinal } = s;
  const { selfSize, retainedSize } = a;
  const { first, list } = dominatedNodes(a);
  const visit = (v: number, inherited: number): number => {
    let own = -1;
    if (traced) own = codeOfFile(ownFile(a, scripts, v));
    else if (nodeType[v] === object || nodeType[v] === closure) {
      const id = scripts.scriptIdOf(v);
      if (id >= 0) own = codeOfScript(id);
    }
    const k = own >= 0 && !(own & 1 && inherited !== 0) ? own >> 1 : inherited;
    const self = selfSize[v];
    sizes[k] += self;
    if (self) counts[k]++;
    if (k !== inherited && (largest[k] < 0 || retainedSize[v] > retainedSize[largest[k]])) largest[k] = v;
    return k;
  };
  // Depth-first over the dominator tree with one frame per parent (its children's range
  // and its owner), children last to first: the order a stack of single nodes gives, without
  // a node-sized owner array or a read of each node's dominator.
  let frames = new Int32Array(3 * 1024);
  let top = 0;
  const enter = (v: number, k: number): void => {
    if (first[v] === first[v + 1]) return;
    if (top + 3 > frames.length) {
      const grown = new Int32Array(frames.length * 2);
      grown.set(frames);
      frames = grown;
    }
    frames[top++] = first[v + 1];
    frames[top++] = first[v];
    frames[top++] = k;
  };
  enter(rootOrdinal, visit(rootOrdinal, 0));
  while (top > 0) {
    const j = --frames[top - 3];
    if (j < frames[top - 2]) {
      top -= 3;
      continue;
    }
    const v = list[j];
    enter(v, visit(v, frames[top - 1]));
  }
  const rows: AttributionRow[] = names.map((name, k) => ({
    name,
    retainedSize: sizes[k],
    count: counts[k],
    largestId: largest[k] < 0 ? 0 : s.nodeId[largest[k]],
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
