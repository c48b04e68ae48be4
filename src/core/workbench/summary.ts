// The Summary view the way DevTools draws it: one row per constructor and definition site,
// plain objects by their properties, closures by name and position (see classKeys.ts).

import { HeapAnalysis } from '../graph/analysis';
import { ClassSummary, summarizeGroups } from '../classes';
import { ClassKeys } from './classKeys';
import { NodeLocation } from './scripts';

export interface SummaryRow extends ClassSummary {
  /** Where the constructor or function is defined; null for built-ins and plain objects. */
  location: NodeLocation | null;
  /** `name (file.js:3:1)` when there is a location, else the name. */
  label: string;
}

export function summarizeByLocation(a: HeapAnalysis, keys: ClassKeys = ClassKeys.of(a)): SummaryRow[] {
  const n = a.snapshot.nodeCount;
  const ofNode = new Uint32Array(n);
  for (let i = 0; i < n; i++) ofNode[i] = keys.groupOf(i);
  const ids = keys.groups.map((_, g) => String(g));
  return summarizeGroups(a, ids, ofNode).map((r) => {
    const g = Number(r.name);
    return { ...r, name: keys.groups[g].name, location: keys.groups[g].location, label: keys.label(g) };
  });
}
