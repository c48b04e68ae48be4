// Finding leaks: objects born after the start mark and still alive at the end (MemLab's
// rule), grouped by class and by why they are alive (the shape of their retainer path),
// kept only when members were born in (nearly) every iteration (BLeak's rule); the id marks
// taken after each iteration say which (src/hunt/hunt.ts, docs/v8-facts.md). Sizes are
// counted from the top of each new subtree of the dominator tree, so no byte is counted
// twice (BLeak's LeakShare idea, simplified to disjoint dominator subtrees).

import { HeapAnalysis } from '../graph/analysis';
import { computeDistances } from '../graph/distances';
import { shortestRetainerPath, RetainerPath } from '../paths';
import { className } from '../describe';
import { AllocationIndex, RawFrame } from '../allocation';
import { pathShape } from './pathShape';
import { causeOfParent, Family, heldAlsoBy, topCandidates } from './families';
import { groupSites, mergeSites } from './sites';
import { isNodeBoundedBuffer } from './nodeBuffers';
import { programRepresentative } from './representative';
import { findChain } from './chains';
import { heldThroughScopes } from './scopes';
import {
  alsoKept,
  classRank,
  nodeOwnClosure,
  commonFunctionName,
  GENERIC,
  leakName,
  nameFamily,
  namedClass,
} from './naming';

export { leakName } from './naming';

/** The highest object id handed out at a point of the hunt (a SnapshotDigest is one too). */
export interface IdMark {
  maxId: number;
}

/** The hunt's marks: after the warm-up, and after each iteration. */
export interface BirthMarks {
  start: number;
  ends: number[];
}

export interface LeakCandidateGroup {
  /** The class the leak is named after: the most meaningful class among what is kept. */
  className: string;
  /** The class of the top of each kept subtree (often a closure, array or entry holding the objects). */
  rootClassName: string;
  shape: string;
  /**
   * Members of `className` in this leak (node ordinals in the final snapshot), largest retained
   * first, except that members[0] is the one whose path is shown (representative.ts).
   */
  members: number[];
  /** Top-level kept objects (no other new object dominates them). */
  roots: number[];
  /** Bytes kept by the top-level objects: every new byte of this leak, counted once. */
  retainedSize: number;
  /** Named objects born in each iteration (index 0 = iteration 1). */
  bornPerIteration: number[];
  growthPerIteration: number;
  /** A representative path, from the root to members[0]. */
  path: RetainerPath;
  /** Allocation stacks of members that have one, grouped by their innermost frame. */
  sites: { frames: RawFrame[]; count: number }[];
  /**
   * Other classes this one cause keeps (objects the named ones hold, and families whose
   * only way to a root runs through this leak's objects), most first.
   */
  alsoKeeps: { className: string; count: number }[];
  nodePlumbing?: true; // closures of Node's own code: absorbed, not listed as "also keeps"
  /**
   * Set when members keep earlier members (`.next`, `.cause`, a shared closure scope):
   * `link` is the path from one member to the one it keeps, `length` how many members the
   * oldest one's path runs through. `path` is then an older member's, so it shows the link.
   */
  chain?: { link: RetainerPath; length: number; keepsOlder?: boolean };
  /** Set when the members are closures: the function they are instances of. */
  functionName?: string;
  /**
   * Set for a container of unboxed values (numbers) that grows with no object born per
   * iteration (containers.ts): its one member is the container, and these are its entries.
   */
  grownEntries?: { entries: number; perIteration: number };
}

export interface DetectOptions {
  /** Names of objects the harness owns; paths through an edge of this name are not leaks. */
  harnessEdge?: string;
  /** A group must have members born in at least this many iterations. */
  minIterations?: number;
  /** Distances from huntDistances(), when the caller already has them. */
  distance?: Int32Array;
  /**
   * The iteration (0-based) each node was born in, -1 when not known; by default read from its
   * id and the marks. A hunt that ran its iterations in one evaluation reads it from the
   * allocation traces instead (births.ts), where ids say nothing of the iteration.
   */
  birthOf?: (node: number) => number;
}

/**
 * Distances as if the harness object did not exist: what only the harness holds is not the
 * program's leak, and paths must not run through it. Node's self-capped buffers are left out
 * the same way (nodeBuffers.ts).
 */
export function huntDistances(a: HeapAnalysis, harnessEdge = '__heaplens'): Int32Array {
  return computeDistances(a.snapshot, a.kinds, a.weakMapNames, harnessNodes(a, harnessEdge));
}

/** Node types that are a program's own objects (not V8's internal arrays, code, maps). */
function isProgramObject(a: HeapAnalysis, n: number): boolean {
  const k = a.kinds;
  const t = a.snapshot.nodeType[n];
  // V8's own objects (contexts, feedback, descriptors) are named "system / …".
  if (t === k.object && a.snapshot.nodeNameString(n).startsWith('system /')) return false;
  return (
    t === k.object ||
    t === k.closure ||
    t === k.regexp ||
    t === k.string ||
    t === k.consString ||
    t === k.slicedString ||
    t === k.bigint ||
    t === k.symbol
  );
}

export function detectLeaks(
  baseline: IdMark,
  iterations: IdMark[],
  final: HeapAnalysis,
  options: DetectOptions = {},
): LeakCandidateGroup[] {
  const a = final;
  const s = a.snapshot;
  const n = s.nodeCount;
  const N = iterations.length;
  const minIterations = options.minIterations ?? Math.max(2, N - 1);
  const harnessEdge = options.harnessEdge ?? '__heaplens';

  const distance = options.distance ?? huntDistances(a, harnessEdge);
  const birthOf = options.birthOf ?? ((m: number) => birthIteration(s.nodeId[m], iterations));
  // New, alive, reachable from the program (not only from V8 internals or the debugger).
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = distance[i];
    if (s.nodeId[i] > baseline.maxId && d >= 1 && isProgramObject(a, i)) candidate[i] = 1;
  }
  const top = topCandidates(a, candidate);

  // Families: each top-level new object with everything new it dominates, grouped by the
  // top object's class and the shape of its retainer path.
  const families = new Map<string, Family>();
  const familyOfTop = new Map<number, Family>();
  for (let i = 0; i < n; i++) {
    if (!candidate[i] || top[i] !== i) continue;
    const path = shortestRetainerPath(a, i, distance);
    if (!path) continue;
    const cls = className(a, i);
    const shape = pathShape(a, path);
    const key = `${cls}\u0000${shape}`;
    let f = families.get(key);
    if (!f) families.set(key, (f = { rootClass: cls, shape, path, roots: [], byClass: new Map() }));
    f.roots.push(i);
    familyOfTop.set(i, f);
  }
  for (let i = 0; i < n; i++) {
    if (!candidate[i]) continue;
    const f = familyOfTop.get(top[i]);
    if (!f) continue;
    const cls = className(a, i);
    let list = f.byClass.get(cls);
    if (!list) f.byClass.set(cls, (list = []));
    list.push(i);
  }

  // One cause, one leak: a family whose path to a root runs through another family's new
  // objects (a response's socket reached through the response) is kept by that family.
  const parentOf = new Map<Family, Family>();
  for (const f of new Set(familyOfTop.values())) {
    for (let j = f.path.nodes.length - 2; j >= 0; j--) {
      const v = f.path.nodes[j];
      const g = candidate[v] ? familyOfTop.get(top[v]) : undefined;
      if (g && g !== f) {
        parentOf.set(f, g);
        break;
      }
    }
  }
  // A family whose tops are held by another family's objects as well as by something else
  // (each request's abort handler is both in a long-lived signal's listeners and in a
  // FinalizationRegistry) is that family's too: one cause, with two holders.
  // So is a family held through the scope of closures another family holds (scopes.ts).
  const all = new Set(familyOfTop.values());
  const isNew = (v: number): boolean => s.nodeId[v] > baseline.maxId;
  for (const [f, g] of [
    ...heldAlsoBy(a, all, candidate, top, familyOfTop),
    ...heldThroughScopes(a, all, candidate, top, familyOfTop, isNew),
  ]) {
    const [rf, rg] = [causeOfParent(parentOf, f), causeOfParent(parentOf, g)];
    if (rf !== rg) parentOf.set(rf, rg);
  }
  const causeOf = (f: Family): Family => causeOfParent(parentOf, f);
  const allocations = new AllocationIndex(s);
  const rank = (g: LeakCandidateGroup): number => classRank(a, g.className, g.members[0], allocations);
  // Of two parts of one cause whose classes rank alike (two classes of one package), the one
  // nearer the roots names it: the object its holder keeps directly, not what it reaches.
  const outranks = (g: LeakCandidateGroup, h: LeakCandidateGroup): boolean =>
    rank(g) > rank(h) || (rank(g) === rank(h) && distance[g.members[0]] < distance[h.members[0]]);
  // Causes of other families: one is part of its leak even when its own members were born in
  // few iterations (a chain's newest wrappers, held by `process`, which hold all the others).
  // Only its members of the leak's class join (joinMembers): its bytes hold the other parts'
  // (it dominates them), and where the kept objects begin on the path is the parts' (a re-armed
  // timer holding a queue of deliveries keeps the deliveries, not the timer).
  const causing = new Set<Family>();
  const partialCauses = new Set<LeakCandidateGroup>();
  for (const f of families.values()) if (causeOf(f) !== f) causing.add(causeOf(f));
  const leaks = new Map<Family, LeakCandidateGroup>();
  const merged: [Family, LeakCandidateGroup][] = [];
  const partial = new Set<LeakCandidateGroup>();
  for (const f of families.values()) {
    // Births are counted over the named objects, not the tops of their subtrees: in a linked
    // list the first new node holds all later ones, but they were born every iteration.
    const { name, members: named } = nameFamily(a, f, allocations);
    const born = new Array<number>(N).fill(0);
    for (const m of named) {
      const b = birthOf(m);
      if (b >= 0 && b < N) born[b]++;
    }
    // A part of a larger cause is judged with it: one cause's objects can split into families
    // by path (the older ones reached along a growing listener list, the newer ones through a
    // registry), each born in only some iterations.
    const few = born.filter((c) => c > 0).length < minIterations;
    if (few && causeOf(f) === f && !causing.has(f)) continue;
    const members = named.slice().sort((x, y) => a.retainedSize[y] - a.retainedSize[x]);
    let retained = 0;
    for (const r of f.roots) retained += a.retainedSize[r];
    const group: LeakCandidateGroup = {
      className: name,
      rootClassName: f.rootClass,
      shape: f.shape,
      members,
      roots: f.roots,
      retainedSize: retained,
      bornPerIteration: born,
      growthPerIteration: retained / N,
      path: shortestRetainerPath(a, members[0], distance) ?? f.path,
      sites: groupSites(allocations, members),
      alsoKeeps: alsoKept(a, f.byClass, name, (c) => GENERIC.has(c) || c.startsWith('system /')),
      ...(name === 'Function' ? { functionName: commonFunctionName(a, members) } : {}),
      ...(members.length > 0 && nodeOwnClosure(a, members[0]) ? { nodePlumbing: true as const } : {}),
    };
    if (few) partial.add(group);
    if (few && causeOf(f) === f) partialCauses.add(group);
    // A cause born in few iterations joins its leak as a part: it never names it.
    if (causeOf(f) !== f || few) merged.push([causeOf(f), group]);
    else leaks.set(f, group);
  }
  // Parts that are a leak on their own first: a part that is not joins a leak, never starts one.
  merged.sort((x, y) => Number(partial.has(x[1])) - Number(partial.has(y[1])));
  for (const [cause, group] of merged) {
    const into = leaks.get(cause);
    const whole = !partial.has(group);
    // The leak is named after what the program made (a DraftDocument), not the plumbing
    // that holds it (the closures of suspended async functions).
    if (!into) {
      if (whole) leaks.set(cause, group);
    } else if (partialCauses.has(group)) joinMembers(into, group, true);
    else if (whole && outranks(group, into)) leaks.set(cause, absorb(group, into));
    else absorb(into, group, partial.has(group));
  }
  // Families held by one old object (a promise's reaction list, one array, one Map) are one
  // cause too, even when their paths meet only in V8's plumbing below it.
  const byHolder = new Map<number, LeakCandidateGroup>();
  for (const [f, group] of [...leaks]) {
    const holder = holderOf(a, f.path, baseline.maxId);
    if (holder < 0) continue;
    const into = byHolder.get(holder);
    if (!into) {
      byHolder.set(holder, group);
      continue;
    }
    leaks.delete(f);
    const keep = outranks(group, into) ? absorb(group, into) : absorb(into, group);
    byHolder.set(holder, keep);
    for (const [k, v] of leaks) if (v === into || v === group) leaks.set(k, keep);
  }
  const out = [...new Set(leaks.values())];
  for (const g of out) {
    g.alsoKeeps.sort((x, y) => y.count - x.count);
    const shown = programRepresentative(a, g.members, distance);
    if (shown) {
      g.members = [shown.member, ...g.members.filter((m) => m !== shown.member)];
      g.path = shown.path;
    }
    findChain(a, g, distance, birthOf);
  }
  return out.sort((x, y) => y.growthPerIteration - x.growthPerIteration);
}

/** The old object just above a path's new tail (what holds the new objects); -1 for a root. */
function holderOf(a: HeapAnalysis, p: RetainerPath, baselineMaxId: number): number {
  const s = a.snapshot;
  let k = p.nodes.length - 1;
  while (k > 0 && s.nodeId[p.nodes[k - 1]] > baselineMaxId) k--;
  const holder = k > 0 ? p.nodes[k - 1] : -1;
  return holder < 0 || s.nodeType[holder] === a.kinds.synthetic ? -1 : holder;
}

/** Adds `group` (kept by the same cause) to `into`: its bytes, and its classes as "also keeps". */
function absorb(into: LeakCandidateGroup, group: LeakCandidateGroup, part = false): LeakCandidateGroup {
  into.retainedSize += group.retainedSize;
  into.growthPerIteration += group.growthPerIteration;
  into.roots = into.roots.concat(group.roots);
  joinMembers(into, group, part);
  const own = group.nodePlumbing ? [] : [{ className: leakName(group), count: group.members.length }];
  for (const k of [...own, ...group.alsoKeeps]) {
    const same = into.alsoKeeps.find((x) => x.className === k.className);
    if (same) same.count += k.count;
    else if (k.className !== into.className && namedClass(k.className)) into.alsoKeeps.push(k);
  }
  return into;
}

/**
 * Objects of the leak's own class that came another way are more of its members (after its
 * own, so members[0], whose path is shown, stays the one it was). `part`: a cause born in few
 * iterations, whose anonymous closures may take another slot's name than the leak's.
 */
function joinMembers(into: LeakCandidateGroup, group: LeakCandidateGroup, part = false): void {
  const closures = part && group.className === 'Function' && into.className === 'Function';
  if (leakName(group) !== leakName(into) && !closures) return;
  into.members = into.members.concat(group.members);
  into.bornPerIteration = into.bornPerIteration.map((c, i) => c + (group.bornPerIteration[i] ?? 0));
  into.sites = mergeSites(into.sites, group.sites);
}

/** The root edge (from "(Strong roots)") to the objects WeakRefs keep until the current job ends. */
const KEPT_DURING_JOB = 'weak_refs_keep_during_job';

/** Nodes no path may enter: the harness's objects (by its reserved property name), Node's self-capped buffers, V8's keep-during-job set. */
function harnessNodes(a: HeapAnalysis, edgeName: string): Uint8Array {
  const s = a.snapshot;
  const marks = new Uint8Array(s.nodeCount);
  // What a WeakRef made or deref'd in the current job keeps alive until the job ends (V8 clears
  // the set then): the snapshot is taken inside the hunt's last job, which in a framed hunt
  // (births.ts) ran every iteration, so it would hold what all of them made. The set hangs from
  // one of the synthetic roots.
  for (let n = 0; n < s.nodeCount; n++) {
    if (s.nodeType[n] !== a.kinds.synthetic) continue;
    for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++)
      if (s.edgeNameIs(e, KEPT_DURING_JOB)) marks[s.edgeTarget[e]] = 1;
  }
  // Each name is read once, not once per edge: a few names are shared by millions of edges, and
  // decoding them per edge was half a second on a 100 MB heap. Per string: 0 not read yet, then
  // 1 (the harness's property name), 2 (a bounded buffer's variable) or 3 (neither).
  const verdict = new Uint8Array(s.strings.length);
  const judge = (name: number): number => {
    const text = s.strings.get(name);
    return (verdict[name] = text === edgeName ? 1 : isNodeBoundedBuffer(text) ? 2 : 3);
  };
  const { eProperty, eContext } = a.kinds;
  for (let e = 0; e < s.edgeCount; e++) {
    const t = s.edgeType[e];
    if (t !== eProperty && t !== eContext) continue;
    const name = s.edgeNameOrIndex[e];
    const v = verdict[name] || judge(name);
    if (t === eProperty && v === 1) marks[s.edgeTarget[e]] = 1;
    // Node's self-capped buffers (nodeBuffers.ts) are entered by nothing either: a hunt
    // shorter than their cap would see them grow like a leak.
    else if (t === eContext && v === 2) marks[s.edgeTarget[e]] = 1;
  }
  return marks;
}

/** Index of the first iteration snapshot whose ids reach this id. */
function birthIteration(id: number, iterations: IdMark[]): number {
  for (let i = 0; i < iterations.length; i++) if (id <= iterations[i].maxId) return i;
  return iterations.length - 1;
}
