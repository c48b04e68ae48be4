// Containers that grow without making objects: an array of numbers, a Set of ids, a Map from
// number to number. Their entries are unboxed (doubles in a FixedDoubleArray, Smis in a hash
// table), so no object is born per iteration and the birth rule (detect.ts) has nothing to
// count; only the container's backing store grows, and V8 reallocates it larger now and then
// (an array's by about 1.5×, a hash table's by 2×), the old one becoming garbage.
//
// One snapshot cannot tell such a container from a bounded one: a ring buffer made with push
// and shift, or an array emptied each iteration, has a store born during the hunt too. So the
// hunt notes, at its start, every Array, Set and Map of the program with at least
// MIN_NOTED_ENTRIES entries (by a WeakRef, so the note keeps nothing alive) and how many it
// holds, in an array the inspector holds for it, and reads their counts again right after the
// final snapshot (src/inspector/containerNote.ts). The final snapshot holds the
// note, so each count is tied to its container's node without object ids.

import { HeapAnalysis } from '../graph/analysis';
import { shortestRetainerPath } from '../paths';
import { className } from '../describe';
import { AllocationIndex } from '../allocation';
import { pathShape } from './pathShape';
import { groupSites } from './sites';
import type { LeakCandidateGroup } from './detect';

/** The note's first element: how the analysis finds it in the snapshot. */
export const CONTAINER_NOTE = '__heaplens_containers';

/**
 * Containers smaller than this at the start are not noted: Node's own small arrays are many,
 * and a leak of numbers has, after the warm-up, far more entries than this.
 */
export const MIN_NOTED_ENTRIES = 256;

/**
 * Fewer entries gained over the hunt than this are no leak worth reporting (1,000 doubles are
 * 8 KB); a bounded container gains none.
 */
export const MIN_GAINED_ENTRIES = 1000;

export interface NotedContainer {
  /** The container (node ordinal in the final snapshot). */
  container: number;
  /** Its entry count at the start. */
  entries: number;
}

/** The note's containers with their counts at the start, in the note's order. */
export function notedContainers(a: HeapAnalysis): NotedContainer[] {
  const note = findNote(a);
  if (note < 0) return [];
  const s = a.snapshot;
  // The note is [CONTAINER_NOTE, WeakRef, "count", WeakRef, "count", …]: element edges by index.
  const at = new Map<number, number>();
  for (let e = s.firstEdge[note]; e < s.firstEdge[note + 1]; e++) {
    if (s.edgeType[e] === a.kinds.eElement) at.set(s.edgeNameOrIndex[e], s.edgeTarget[e]);
  }
  const out: NotedContainer[] = [];
  for (let i = 1; at.has(i); i += 2) {
    const count = at.get(i + 1);
    const entries = count === undefined ? NaN : Number(s.nodeNameString(count));
    // A collected container leaves its WeakRef without a target: -1, never read again.
    out.push({ container: weakTarget(a, at.get(i)!), entries: Number.isFinite(entries) ? entries : -1 });
  }
  return out;
}

/** The note: the array whose element 0 is the string CONTAINER_NOTE; -1 when there is none. */
function findNote(a: HeapAnalysis): number {
  const s = a.snapshot;
  const { firstRetainer, retainerEdge } = a.retainers;
  for (let n = 0; n < s.nodeCount; n++) {
    if (s.nodeType[n] !== a.kinds.string || !s.nodeNameIs(n, CONTAINER_NOTE)) continue;
    for (let i = firstRetainer[n]; i < firstRetainer[n + 1]; i++) {
      const e = retainerEdge[i];
      if (s.edgeType[e] === a.kinds.eElement && s.edgeNameOrIndex[e] === 0) return s.edgeOwner(e);
    }
  }
  return -1;
}

/** The object a WeakRef points at (its weak `target` edge), or -1. */
function weakTarget(a: HeapAnalysis, ref: number): number {
  const s = a.snapshot;
  for (let e = s.firstEdge[ref]; e < s.firstEdge[ref + 1]; e++) {
    if (s.edgeNameString(e) === 'target') return s.edgeTarget[e];
  }
  return -1;
}

/**
 * The noted containers that grew: `now` holds their entry counts at the snapshot, in the note's
 * order. Each must hold no object born during the hunt (a container of new objects is the birth
 * rule's) and have a backing store born during it, where V8 says the growth happened (the
 * user's `push` or `add`).
 */
export function grownContainers(
  a: HeapAnalysis,
  now: number[],
  distance: Int32Array,
  startMaxId: number,
  iterations: number,
): LeakCandidateGroup[] {
  const s = a.snapshot;
  const allocations = new AllocationIndex(s);
  const out: LeakCandidateGroup[] = [];
  notedContainers(a).forEach(({ container, entries }, i) => {
    const gained = (now[i] ?? -1) - entries;
    if (container < 0 || entries < 0 || gained < MIN_GAINED_ENTRIES || distance[container] < 1) return;
    const store = newStore(a, container, startMaxId);
    if (store < 0 || holdsNewObject(a, store, startMaxId)) return;
    const path = shortestRetainerPath(a, container, distance);
    if (!path) return;
    const cls = className(a, container);
    // V8 counts a JSObject's elements or hash table in the object's own size (the store's is 0).
    const bytesPerEntry = s.nodeSelfSize[container] / Math.max(1, now[i]);
    out.push({
      className: cls,
      rootClassName: cls,
      shape: pathShape(a, path),
      members: [container],
      roots: [container],
      retainedSize: a.retainedSize[container],
      bornPerIteration: new Array<number>(iterations).fill(0),
      growthPerIteration: (gained / iterations) * bytesPerEntry,
      path,
      sites: groupSites(allocations, [store]),
      alsoKeeps: [],
      grownEntries: { entries: now[i], perIteration: gained / iterations },
    });
  });
  return out;
}

/** The container's backing store (an internal edge to a V8 array), if born after the start; else -1. */
function newStore(a: HeapAnalysis, container: number, startMaxId: number): number {
  const s = a.snapshot;
  for (let e = s.firstEdge[container]; e < s.firstEdge[container + 1]; e++) {
    const t = s.edgeTarget[e];
    if (s.edgeType[e] === a.kinds.eInternal && s.nodeType[t] === a.kinds.array && s.nodeId[t] > startMaxId)
      return t;
  }
  return -1;
}

/** Whether a store holds an object born during the hunt (numbers V8 boxed do not count). */
function holdsNewObject(a: HeapAnalysis, store: number, startMaxId: number): boolean {
  const s = a.snapshot;
  for (let e = s.firstEdge[store]; e < s.firstEdge[store + 1]; e++) {
    const t = s.edgeTarget[e];
    if (s.edgeType[e] === a.kinds.eWeak || s.nodeType[t] === a.kinds.number) continue;
    if (s.nodeId[t] > startMaxId) return true;
  }
  return false;
}
