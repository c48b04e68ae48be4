// What the leak hunt keeps of each intermediate snapshot: the highest object id (V8 hands
// out ids from one increasing counter, so an object's "birth" snapshot follows from its id)
// and how many objects of each class are alive. Small, so a hunt of many snapshots of a big
// heap holds only the last one in full.

import { HeapSnapshot } from '../snapshot';
import { kindsOf } from '../graph/kinds';
import { className } from '../describe';

export interface SnapshotDigest {
  maxId: number;
  /** Live object count per class name (objects with a self size only, as in Summary). */
  classCounts: Map<string, number>;
  classSizes: Map<string, number>;
  totalSize: number;
  nodeCount: number;
}

export function digestSnapshot(s: HeapSnapshot): SnapshotDigest {
  const named = { snapshot: s, kinds: kindsOf(s) };
  const classCounts = new Map<string, number>();
  const classSizes = new Map<string, number>();
  let maxId = 0;
  let totalSize = 0;
  const { native, synthetic } = named.kinds;
  for (let i = 0; i < s.nodeCount; i++) {
    const id = s.nodeId[i];
    // Native and synthetic nodes get hash-derived ids, not ids from the allocation counter.
    const t = s.nodeType[i];
    if (id > maxId && t !== native && t !== synthetic) maxId = id;
    const size = s.nodeSelfSize[i];
    if (!size) continue;
    totalSize += size;
    const c = className(named, i);
    classCounts.set(c, (classCounts.get(c) ?? 0) + 1);
    classSizes.set(c, (classSizes.get(c) ?? 0) + size);
  }
  return { maxId, classCounts, classSizes, totalSize, nodeCount: s.nodeCount };
}
