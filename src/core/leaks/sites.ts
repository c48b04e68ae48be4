// A leak's allocation sites: its members' allocation stacks grouped by their innermost frame,
// the ones reached from the user's code first. Split from detect.ts, which finds the leaks.

import { AllocationIndex, RawFrame } from '../allocation';
import { packageOf } from '../workbench/scripts';

export type Site = { frames: RawFrame[]; count: number };

const siteKey = (first: RawFrame): string =>
  `${first.scriptId}:${first.line}:${first.column}:${first.functionName}`;

/** Two groups' sites as one list, counts added where the innermost frame is the same. */
export function mergeSites(x: Site[], y: Site[]): Site[] {
  const sites = new Map<string, Site>(x.map((site) => [siteKey(site.frames[0]), { ...site }]));
  for (const site of y) {
    const same = sites.get(siteKey(site.frames[0]));
    if (same) same.count += site.count;
    else sites.set(siteKey(site.frames[0]), { ...site });
  }
  return rankSites([...sites.values()]);
}

export function groupSites(index: AllocationIndex, members: number[]): Site[] {
  const sites = new Map<string, Site>();
  // V8 sometimes drops a survivor's allocation record: take sites from the members that have one.
  for (const m of members.slice(0, 5000)) {
    const frames = index.stackOf(m);
    if (!frames) continue;
    const key = siteKey(frames[0]);
    const site = sites.get(key);
    if (site) site.count++;
    else sites.set(key, { frames, count: 1 });
  }
  return rankSites([...sites.values()]);
}

function rankSites(sites: Site[]): Site[] {
  // A site reached from the user's code says where to look: it counts double against one that
  // is not (a package's own work in a callback, V8's misplaced records).
  const weight = (x: { frames: RawFrame[]; count: number }): number =>
    x.count * (x.frames.some((f) => packageOf(f.scriptName) === '(app)') ? 2 : 1);
  return sites.sort((x, y) => weight(y) - weight(x));
}
