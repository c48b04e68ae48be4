// Two snapshots of one process compared: what is new, what is gone, the growth by class (split
// by definition site, as the Summary), the new objects of one class with their retainer
// paths, and the leak suspects of the growth alone. V8 keeps object ids stable across the
// snapshots of one heap, so "new" is exact: an id the earlier snapshot did not have.

import { HeapAnalysis } from '../graph/analysis';
import { shortestRetainerPath } from '../paths';
import { RetainerStep } from '../report';
import { ClassKeys } from './classKeys';
import { NodeLocation } from './scripts';
import { foldedPath, pathSteps } from './holders';
import { findSuspects, Suspect } from './suspects';

export interface ClassDelta {
  name: string;
  location: NodeLocation | null;
  label: string;
  countBefore: number;
  countAfter: number;
  countDelta: number;
  /** Self size after minus before. */
  sizeDelta: number;
  /** Objects whose ids the earlier snapshot did not have, and their self size. */
  added: number;
  addedSize: number;
  /** Objects of the earlier snapshot that are gone. */
  removed: number;
  removedSize: number;
}

export interface NewObject {
  id: number;
  selfSize: number;
  retainedSize: number;
  retainerPath: RetainerStep[];
  foldedPath: string;
}

export interface Comparison {
  classes: ClassDelta[];
  /** The new objects of the class asked for (`label` or `name`), largest first. */
  newObjects?: { className: string; total: number; objects: NewObject[] };
  /** Suspects counted over new objects only: where the growth accumulates. */
  growthSuspects: Suspect[];
}

export interface CompareOptions {
  className?: string;
  maxObjects?: number;
  suspects?: boolean;
}

export function compareSnapshots(
  before: HeapAnalysis,
  after: HeapAnalysis,
  options: CompareOptions = {},
): Comparison {
  const kb = ClassKeys.of(before);
  const ka = ClassKeys.of(after);
  const rows = new Map<string, ClassDelta>();
  const row = (keys: ClassKeys, g: number): ClassDelta => {
    const label = keys.label(g);
    let r = rows.get(label);
    if (!r) {
      const { name, location } = keys.groups[g];
      rows.set(
        label,
        (r = {
          name,
          location,
          label,
          countBefore: 0,
          countAfter: 0,
          countDelta: 0,
          sizeDelta: 0,
          added: 0,
          addedSize: 0,
          removed: 0,
          removedSize: 0,
        }),
      );
    }
    return r;
  };
  const beforeIds = new Set<number>();
  for (let i = 0; i < before.snapshot.nodeCount; i++) beforeIds.add(before.snapshot.nodeId[i]);
  const afterIds = new Set<number>();
  for (let i = 0; i < after.snapshot.nodeCount; i++) afterIds.add(after.snapshot.nodeId[i]);
  for (let i = 0; i < before.snapshot.nodeCount; i++) {
    const size = before.selfSize[i];
    if (!size) continue;
    const r = row(kb, kb.groupOf(i));
    r.countBefore++;
    r.sizeDelta -= size;
    if (!afterIds.has(before.snapshot.nodeId[i])) {
      r.removed++;
      r.removedSize += size;
    }
  }
  const isNew = (i: number): boolean => !beforeIds.has(after.snapshot.nodeId[i]);
  const wanted: number[] = [];
  for (let i = 0; i < after.snapshot.nodeCount; i++) {
    const size = after.selfSize[i];
    if (!size) continue;
    const r = row(ka, ka.groupOf(i));
    r.countAfter++;
    r.sizeDelta += size;
    if (isNew(i)) {
      r.added++;
      r.addedSize += size;
      if (options.className !== undefined && (r.label === options.className || r.name === options.className))
        wanted.push(i);
    }
  }
  for (const r of rows.values()) r.countDelta = r.countAfter - r.countBefore;
  const classes = [...rows.values()]
    .filter((r) => r.countDelta !== 0 || r.sizeDelta !== 0 || r.added !== 0)
    .sort((x, y) => y.sizeDelta - x.sizeDelta || y.countDelta - x.countDelta);
  const out: Comparison = { classes, growthSuspects: [] };
  if (options.className !== undefined) {
    wanted.sort((x, y) => after.retainedSize[y] - after.retainedSize[x]);
    out.newObjects = {
      className: options.className,
      total: wanted.length,
      objects: wanted.slice(0, options.maxObjects ?? 100).map((n) => {
        const p = shortestRetainerPath(after, n);
        const steps = p ? pathSteps(after, p) : [];
        return {
          id: after.snapshot.nodeId[n],
          selfSize: after.selfSize[n],
          retainedSize: after.retainedSize[n],
          retainerPath: steps,
          foldedPath: foldedPath(steps),
        };
      }),
    };
  }
  if (options.suspects !== false) {
    // Thresholds relative to the growth, not to the heap: a small steady leak is the point.
    const grown = classes.reduce((t, r) => t + r.addedSize, 0);
    const heap = after.retainedSize[after.snapshot.rootOrdinal] || 1;
    out.growthSuspects = findSuspects(
      after,
      { memberFilter: isNew, minMembers: 50, minShare: (0.05 * grown) / heap, dominatorShare: 2 },
      ka,
    );
  }
  return out;
}

/** What the editor shows for "Compare with…": the current snapshot against another of one process. */
export interface EditorComparison {
  /** True when the current snapshot is the later one (its ids then open retainer graphs). */
  currentIsLater: boolean;
  classes: ClassDelta[];
  growthSuspects: Suspect[];
}

/** Orders the two by their highest object id (V8 hands out ids in increasing order). */
export function compareWithCurrent(current: HeapAnalysis, other: HeapAnalysis, top = 200): EditorComparison {
  const maxId = (a: HeapAnalysis): number => a.snapshot.nodeId.reduce((m, x) => (x > m ? x : m), 0);
  const currentIsLater = maxId(current) >= maxId(other);
  const c = currentIsLater ? compareSnapshots(other, current) : compareSnapshots(current, other);
  return { currentIsLater, classes: c.classes.slice(0, top), growthSuspects: c.growthSuspects };
}
