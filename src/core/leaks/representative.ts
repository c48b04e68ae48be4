// Which member of a leak its path and sentence are shown for. One cause can hold its objects
// two ways at once: the program's own long-lived object (a `shutdown` signal passed to every
// request) and a package's bookkeeping that only exists because of it (undici's
// FinalizationRegistry, whose held values reach each request back). The shortest path of the
// largest member may well be the package's, and a sentence about `requestFinalizer` tells a
// person nothing they can change; the path through their own code does. So among a sample of
// members spread over the hunt, the shortest path that passes through the program's own code
// (a module of the program, or a closure defined in it) is shown, when there is one.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath, shortestRetainerPath } from '../paths';
import { packageOf, scriptOfClosure } from '../workbench/scripts';
import { isModuleKey } from './steps';

/** Members whose paths are compared: spread evenly over the members (oldest to newest). */
const SAMPLE = 24;

/**
 * The member (of `members`, largest retained first) to show and its path: `members[0]` unless
 * its path never touches the program's code and another member's does.
 */
export function programRepresentative(
  a: HeapAnalysis,
  members: number[],
  distance: Int32Array,
): { member: number; path: RetainerPath } | null {
  const first = shortestRetainerPath(a, members[0], distance);
  if (!first || throughProgram(a, first)) return null;
  const byId = members.slice().sort((x, y) => a.snapshot.nodeId[x] - a.snapshot.nodeId[y]);
  const step = Math.max(1, Math.floor(byId.length / SAMPLE));
  let best: { member: number; path: RetainerPath } | null = null;
  for (let i = 0; i < byId.length; i += step) {
    const m = byId[i];
    if (best && distance[m] >= distance[best.member]) continue;
    const path = shortestRetainerPath(a, m, distance);
    if (path && throughProgram(a, path)) best = { member: m, path };
  }
  return best;
}

/**
 * Whether a path passes through the program's own code: a module of the program in Node's
 * registry (an edge named by its file), or a closure defined in one of its files.
 */
export function throughProgram(a: HeapAnalysis, p: RetainerPath): boolean {
  const s = a.snapshot;
  for (const e of p.edges) {
    const name = s.edgeHasStringName(e) ? s.strings.get(s.edgeNameOrIndex[e]) : '';
    if (isModuleKey(name) && packageOf(name) === '(app)') return true;
  }
  for (const n of p.nodes) {
    if (s.nodeType[n] === a.kinds.closure && packageOf(scriptOfClosure(a, n)) === '(app)') return true;
  }
  return false;
}
