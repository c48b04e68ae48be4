// Births without a heap-stats push per iteration. When a hunt's units of work make no promise,
// timer, tick or request, the harness runs all its iterations in one evaluation, each inside a
// function of its own named ITERATION_FRAME + k (src/inspector/harness.ts `framed`), and takes
// the snapshot in the same evaluation. V8's allocation tracker records the stack of every
// allocation, so the trace of each object made in a unit runs through its iteration's frame:
// that says in which iteration it was born, where the id marks need one push (a full GC and a
// heap walk, most of a second on a 100 MB heap) between every two iterations (docs/v8-facts.md).
//
// Object ids still say what is older than the hunt: tracking's start gave every live object an
// id, and the objects made in the units get theirs only from the snapshot, so all of them are
// higher. Their order is the heap's, not their age: within one iteration nothing says which
// object came first.

import type { HeapSnapshot } from '../snapshot';

/** The name of the harness's k-th iteration frame is this followed by k (1-based). */
export const ITERATION_FRAME = '__heaplens_iteration_';

const NO_PARENT = 0xffffffff;

export interface FrameBirths {
  /** Per node: the iteration that made it (0-based), or -1 (older, made outside the units, or no record). */
  births: Int16Array;
  /** The highest id older than the hunt: one below the lowest id of an object a unit made. */
  startMaxId: number;
  /** Per trace node (position in the tree): the iteration it is under, or -1. */
  traceIteration: Int16Array;
  /** Per trace node: the position of its iteration's frame node, or -1. */
  framePos: Int32Array;
}

/**
 * Each node's iteration from its allocation trace, or null when the snapshot has no traces.
 * `iterations`: how many frames the hunt ran (frames named beyond it are ignored).
 */
export function frameBirths(s: HeapSnapshot, iterations: number): FrameBirths | null {
  const t = s.traces;
  const nodeTrace = s.nodeTraceId;
  if (!t || !nodeTrace) return null;
  const width = t.functionInfoFields.length;
  const nameField = t.functionInfoFields.indexOf('name');
  if (width === 0 || nameField < 0) return null;
  const frameOfFunction = new Map<number, number>();
  for (let f = 0; (f + 1) * width <= t.functionInfos.length; f++) {
    const name = s.strings.get(t.functionInfos[f * width + nameField]);
    if (!name.startsWith(ITERATION_FRAME)) continue;
    const k = Number(name.slice(ITERATION_FRAME.length));
    if (Number.isInteger(k) && k >= 1 && k <= iterations) frameOfFunction.set(f, k - 1);
  }
  // The tree is written parent first, so one pass in order sees every parent before its children.
  const traceIteration = new Int16Array(t.traceNodeCount).fill(-1);
  const framePos = new Int32Array(t.traceNodeCount).fill(-1);
  const positionOfId = new Map<number, number>();
  for (let p = 0; p < t.traceNodeCount; p++) {
    positionOfId.set(t.traceNodeIds[p], p);
    const own = frameOfFunction.get(t.traceNodeFunction[p]);
    const parent = t.traceNodeParent[p];
    if (own !== undefined) {
      traceIteration[p] = own;
      framePos[p] = p;
    } else if (parent !== NO_PARENT && parent < p) {
      traceIteration[p] = traceIteration[parent];
      framePos[p] = framePos[parent];
    }
  }
  const births = new Int16Array(s.nodeCount).fill(-1);
  let lowest = Infinity;
  let highest = 0;
  for (let n = 0; n < s.nodeCount; n++) {
    const id = s.nodeId[n];
    if (id > highest) highest = id;
    const trace = nodeTrace[n];
    if (trace === 0) continue;
    const p = positionOfId.get(trace);
    if (p === undefined || traceIteration[p] < 0) continue;
    births[n] = traceIteration[p];
    if (id < lowest) lowest = id;
  }
  // No object of any unit is alive: nothing is newer than the hunt's start.
  const startMaxId = lowest === Infinity ? highest : lowest - 1;
  return { births, startMaxId, traceIteration, framePos };
}

/**
 * How many objects (alive or freed) were allocated in each iteration at the places `members`
 * were: the same stack below the iteration frame, in every iteration's frame. V8 counts per
 * trace node, which is a function, not a statement: other allocations of the same function
 * (temporaries) are counted in too.
 */
export function iterationAllocations(
  s: HeapSnapshot,
  fb: FrameBirths,
  members: readonly number[],
  iterations: number,
): number[] {
  const t = s.traces!;
  const nodeTrace = s.nodeTraceId!;
  const positionOfId = new Map<number, number>();
  for (let p = 0; p < t.traceNodeCount; p++) positionOfId.set(t.traceNodeIds[p], p);
  // A trace node's stack below its frame, as the functions from the frame down.
  const keyOf = (p: number): string => {
    const fns: number[] = [];
    for (let q = p; q !== fb.framePos[p] && q !== NO_PARENT; q = t.traceNodeParent[q])
      fns.push(t.traceNodeFunction[q]);
    return fns.join(',');
  };
  const keys = new Set<string>();
  for (const m of members.slice(0, 5000)) {
    const p = positionOfId.get(nodeTrace[m]);
    if (p !== undefined && fb.traceIteration[p] >= 0) keys.add(keyOf(p));
  }
  const out = new Array<number>(iterations).fill(0);
  if (keys.size === 0) return out;
  for (let p = 0; p < t.traceNodeCount; p++) {
    const k = fb.traceIteration[p];
    if (k >= 0 && k < iterations && t.traceNodeAllocations[p] > 0 && keys.has(keyOf(p)))
      out[k] += t.traceNodeAllocations[p];
  }
  return out;
}
