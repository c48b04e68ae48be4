// Leak suspects from one snapshot, MAT's report for Node: no repeated scenario, only what the
// heap says. Two kinds:
// - accumulation points: a container (Map, Set, array, dictionary object, listener list,
//   linked timer list) whose dominator subtree holds many objects of one class. V8 keeps a
//   collection's entries in internal backing stores (a Map's `table`, an array's `elements`,
//   a dictionary's `properties`), so members are found through those plumbing nodes, and a
//   linked list (each entry dominating the next) counts as one container of its links;
// - big dominators: one object whose release would free a large share of the heap, taken as
//   deep as possible (the deepest object still above the threshold).
// What only V8's or Node's own roots reach (compiled code, the module registry, builtins) is
// not the program's doing and is never a suspect.

import { HeapAnalysis } from '../graph/analysis';
import { DominatedNodes, dominatedNodes } from '../classes';
import { shortestRetainerPath } from '../paths';
import { RetainerStep } from '../report';
import { ClassKeys } from './classKeys';
import { ownerScript } from './holders';
import { ScriptIndex } from './scripts';
import { accumulationSuspect, dominatorSuspect } from './suspectText';

export { formatSize } from './suspectText';

export interface SuspectFrame {
  functionName: string;
  script: string;
  line: number;
  column: number;
}

export interface Suspect {
  kind: 'accumulation' | 'dominator';
  /** Snapshot id of the container (or the big dominator). */
  id: number;
  /** Its class, as the Summary names it. Untrusted heap text. */
  name: string;
  retainedSize: number;
  /** Of the whole heap, 0..1. */
  share: number;
  /** For an accumulation point: the class that accumulates, how many and what they retain. */
  members?: { name: string; label: string; count: number; retainedSize: number; sampleIds: number[] };
  sentence: string;
  retainerPath: RetainerStep[];
  /** `retainerPath` with its middle folded, one line. */
  foldedPath: string;
  /** Allocation stack of a member (or of the dominator), innermost first, when tracked. */
  allocationStack: SuspectFrame[] | null;
}

export interface SuspectOptions {
  /** Fewest objects of one class that make an accumulation point. */
  minMembers?: number;
  /** Smallest share of the heap worth reporting, 0..1. */
  minShare?: number;
  /** Share of the heap above which one object is a big dominator, 0..1 (above 1: none). */
  dominatorShare?: number;
  limit?: number;
  /** Only members passing it count (a comparison passes "new since the earlier snapshot"). */
  memberFilter?: (n: number) => boolean;
}

/** Distances from this base on are reached only through V8's and Node's own roots. */
const SYSTEM_DISTANCE = 100000000;
/** Classes that are V8 machinery, never a program's objects. */
const MACHINERY =
  /^\((compiled code|system|object shape|concatenated string|sliced string|hidden)\)$|^system \//;

export function findSuspects(
  a: HeapAnalysis,
  options: SuspectOptions = {},
  keys: ClassKeys = ClassKeys.of(a),
): Suspect[] {
  const minMembers = options.minMembers ?? 100;
  const total = a.retainedSize[a.snapshot.rootOrdinal] || 1;
  const minBytes = (options.minShare ?? 0.02) * total;
  const scripts = keys.scripts;
  const tree = dominatedNodes(a);
  const found: Suspect[] = [];
  // Node's own registries (builtin modules, error codes, the module cache) are not suspects.
  const containers = accumulationPoints(a, keys, tree, minMembers, minBytes, options.memberFilter).filter(
    (c) => {
      if (isNodeScript(keys.groups[c.group].location?.script)) return false;
      const path = shortestRetainerPath(a, c.container);
      return !path || !isNodeScript(ownerScript(a, scripts, path));
    },
  );
  for (const c of containers) found.push(accumulationSuspect(a, keys, scripts, c, total));
  for (const d of bigDominators(
    a,
    scripts,
    tree,
    (options.dominatorShare ?? 0.1) * total,
    containers.map((c) => c.container),
  )) {
    found.push(dominatorSuspect(a, keys, scripts, d, total));
  }
  return found
    .sort((x, y) => (y.members?.retainedSize ?? y.retainedSize) - (x.members?.retainedSize ?? x.retainedSize))
    .slice(0, options.limit ?? 10);
}

export interface Accumulation {
  container: number;
  group: number;
  count: number;
  bytes: number;
  samples: number[];
}

function isNodeScript(script: string | undefined): boolean {
  return script !== undefined && script.startsWith('node:');
}

function isGlobal(name: string): boolean {
  return name === 'global' || name.startsWith('global ') || name === 'Window';
}

function isUserSide(a: HeapAnalysis, n: number): boolean {
  const d = a.distance[n];
  return d >= 0 && d < SYSTEM_DISTANCE;
}

/** A backing store or V8 wrapper that sits between a container and its entries. */
function isPlumbing(a: HeapAnalysis, n: number): boolean {
  const t = a.snapshot.nodeType[n];
  const k = a.kinds;
  if (t === k.hidden || t === k.array || t === k.objectShape) return true;
  return t === k.object && a.snapshot.nodeNameString(n).startsWith('system /');
}

function accumulationPoints(
  a: HeapAnalysis,
  keys: ClassKeys,
  tree: DominatedNodes,
  minMembers: number,
  minBytes: number,
  filter?: (n: number) => boolean,
): Accumulation[] {
  const s = a.snapshot;
  const { first, list } = tree;
  // Per-group counters reused for every container: typed arrays indexed by group, reset
  // through the list of groups touched (a Map per container cost more than the walk).
  let count = new Uint32Array(1024);
  let bytes = new Float64Array(1024);
  let sample = new Int32Array(1024);
  const touched: number[] = [];
  // Links below each chain node, kept across containers: each link of a long list is itself
  // a candidate container, and recounting the rest of the list for each was quadratic.
  // A typed array, allocated on the first chain: a Map of a million links cost more than the walk.
  const chains = new ChainMemo(s.nodeCount);
  const out: Accumulation[] = [];
  const stack: number[] = [];
  for (const c of retainingAtLeast(a, tree, minBytes)) {
    if (first[c + 1] === first[c] || !isUserSide(a, c) || isPlumbing(a, c)) continue;
    if (s.nodeType[c] === a.kinds.synthetic || isGlobal(s.nodeNameString(c))) continue;
    for (const g of touched) {
      count[g] = 0;
      bytes[g] = 0;
      sample[g] = -1;
    }
    touched.length = 0;
    // Entries: dominated nodes reached through plumbing; a link dominating the next link of
    // its own class continues the same container (a linked list).
    stack.length = 0;
    for (let j = first[c]; j < first[c + 1]; j++) stack.push(list[j], 0);
    while (stack.length) {
      const depth = stack.pop()!;
      const x = stack.pop()!;
      if (isPlumbing(a, x)) {
        if (depth < 3) for (let j = first[x]; j < first[x + 1]; j++) stack.push(list[j], depth + 1);
        continue;
      }
      if (filter && !filter(x)) continue;
      const g = keys.groupOf(x);
      if (g >= count.length) {
        const grow = <T extends Uint32Array | Float64Array | Int32Array>(
          old: T,
          make: (n: number) => T,
        ): T => {
          const t = make(Math.max(g + 1, old.length * 2));
          t.set(old);
          return t;
        };
        count = grow(count, (n) => new Uint32Array(n));
        bytes = grow(bytes, (n) => new Float64Array(n));
        const before = sample.length;
        sample = grow(sample, (n) => new Int32Array(n));
        sample.fill(-1, before);
      }
      if (count[g] === 0) {
        touched.push(g);
        sample[g] = x;
      }
      count[g]++;
      bytes[g] += a.retainedSize[x];
      for (let j = first[x]; j < first[x + 1]; j++) {
        const y = list[j];
        // Same type and name before the (dearer) class key.
        if (s.nodeType[y] !== s.nodeType[x] || s.nodeName[y] !== s.nodeName[x] || keys.groupOf(y) !== g)
          continue;
        count[g] += chainLinks(keys, tree, y, chains, filter);
      }
    }
    let best = -1;
    for (const g of touched) if (best < 0 || count[g] > count[best]) best = g;
    if (best < 0 || count[best] < minMembers || bytes[best] < minBytes || keys.groupOf(c) === best) continue;
    if (MACHINERY.test(keys.groups[best].name)) continue;
    out.push({
      container: c,
      group: best,
      count: count[best],
      bytes: bytes[best],
      samples: samplesOf(a, keys, tree, best, sample[best]),
    });
  }
  return out;
}

/**
 * The nodes that retain at least `minBytes`, in ordinal order. A node retains no more than
 * its dominator, so they are the top of the dominator tree: found from the root without
 * looking at the millions of small nodes below.
 */
function retainingAtLeast(a: HeapAnalysis, tree: DominatedNodes, minBytes: number): Uint32Array {
  const { first, list } = tree;
  const found: number[] = [];
  const root = a.snapshot.rootOrdinal;
  const todo = a.retainedSize[root] >= minBytes ? [root] : [];
  while (todo.length) {
    const v = todo.pop()!;
    found.push(v);
    for (let j = first[v]; j < first[v + 1]; j++) if (a.retainedSize[list[j]] >= minBytes) todo.push(list[j]);
  }
  return Uint32Array.from(found).sort();
}

/** A few members of the container's winning class, for the report (the first one found, then siblings). */
function samplesOf(
  a: HeapAnalysis,
  keys: ClassKeys,
  tree: DominatedNodes,
  g: number,
  firstFound: number,
): number[] {
  const out = [firstFound];
  const dom = a.idom[firstFound];
  for (let j = tree.first[dom]; j < tree.first[dom + 1] && out.length < 5; j++) {
    const y = tree.list[j];
    if (y !== firstFound && keys.groupOf(y) === g) out.push(y);
  }
  return out;
}

/**
 * The links of the chain from `start` down (`start` included): the nodes its dominator
 * subtree reaches through nodes of its own class. Their bytes are already in the member's.
 * Counted children first and remembered in `memo`, so every link is counted once per search.
 */
function chainLinks(
  keys: ClassKeys,
  tree: DominatedNodes,
  start: number,
  memo: ChainMemo,
  filter?: (n: number) => boolean,
): number {
  const known = memo.get(start);
  if (known >= 0) return known;
  const { first, list } = tree;
  const g = keys.groupOf(start);
  const order: number[] = [];
  const todo = [start];
  while (todo.length) {
    const y = todo.pop()!;
    order.push(y);
    for (let j = first[y]; j < first[y + 1]; j++)
      if (memo.get(list[j]) < 0 && keys.groupOf(list[j]) === g) todo.push(list[j]);
  }
  // A dominator tree is a tree: in reverse discovery order every child comes before its parent.
  for (let i = order.length - 1; i >= 0; i--) {
    const y = order[i];
    let links = !filter || filter(y) ? 1 : 0;
    for (let j = first[y]; j < first[y + 1]; j++) if (keys.groupOf(list[j]) === g) links += memo.get(list[j]);
    memo.set(y, links);
  }
  return memo.get(start);
}

/** Links counted below each node, -1 for not yet; the array is made on the first write. */
class ChainMemo {
  private links: Int32Array | null = null;
  constructor(private readonly nodeCount: number) {}
  get(n: number): number {
    return this.links ? this.links[n] : -1;
  }
  set(n: number, count: number): void {
    (this.links ??= new Int32Array(this.nodeCount).fill(-1))[n] = count;
  }
}

/** The deepest user-side objects that each retain at least `minBytes`, not above a container already reported. */
function bigDominators(
  a: HeapAnalysis,
  scripts: ScriptIndex,
  tree: DominatedNodes,
  minBytes: number,
  containers: number[],
): number[] {
  const s = a.snapshot;
  const covered = new Set<number>();
  for (const c of containers)
    for (let v = c; v !== s.rootOrdinal && !covered.has(v); v = a.idom[v]) covered.add(v);
  const out: number[] = [];
  const visit = [s.rootOrdinal];
  while (visit.length) {
    const v = visit.pop()!;
    let deeper = false;
    for (let j = tree.first[v]; j < tree.first[v + 1]; j++) {
      const c = tree.list[j];
      if (a.retainedSize[c] >= minBytes) {
        visit.push(c);
        deeper = true;
      }
    }
    if (deeper || v === s.rootOrdinal || covered.has(v) || !isUserSide(a, v) || isPlumbing(a, v)) continue;
    const t = s.nodeType[v];
    if (t !== a.kinds.object && t !== a.kinds.closure) continue;
    const name = s.nodeNameString(v);
    if (isGlobal(name) || MACHINERY.test(name)) continue;
    const path = shortestRetainerPath(a, v);
    if (isNodeScript(scripts.locationOf(v)?.script) || (path && isNodeScript(ownerScript(a, scripts, path))))
      continue;
    out.push(v);
  }
  return out;
}
