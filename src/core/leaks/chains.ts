// Chains among a leak's members: each new object keeps the previous one (`.cause`, a captured
// predecessor) or the one after it (a list grown at its tail). Found after grouping, so the
// path shown and the sentence can name the link that repeats (detect.ts calls it per leak).

import { HeapAnalysis } from '../graph/analysis';
import { shortestRetainerPath } from '../paths';
import type { LeakCandidateGroup } from './detect';

/**
 * A chain: the oldest member's path runs through newer members (each keeps the one before
 * it: `.cause`, a captured predecessor), or the newest's through older ones (each keeps the
 * one after it: a linked list grown at its tail). Its path is then shown up to the second
 * member on it (one whole link, as short as a chain's path gets).
 */
export function findChain(
  a: HeapAnalysis,
  g: LeakCandidateGroup,
  distance: Int32Array,
  born: (n: number) => number,
): void {
  const s = a.snapshot;
  let oldest = g.members[0];
  let newest = g.members[0];
  // And the deepest: its path runs through the most members (a list's newest may be held by `tail`).
  let deepest = g.members[0];
  // Older: born in an earlier iteration; within one, the lower id (the order the marks' pushes
  // gave ids in; a hunt without marks has no order within an iteration: births.ts).
  const older = (x: number, y: number): boolean =>
    born(x) !== born(y) ? born(x) < born(y) : s.nodeId[x] < s.nodeId[y];
  for (const m of g.members) {
    if (older(m, oldest)) oldest = m;
    if (older(newest, m)) newest = m;
    if (distance[m] > distance[deepest]) deepest = m;
  }
  const members = new Set(g.members);
  for (const end of new Set([oldest, newest, deepest])) {
    const path = shortestRetainerPath(a, end, distance);
    if (!path) continue;
    const at: number[] = [];
    path.nodes.forEach((n, i) => {
      if (members.has(n)) at.push(i);
    });
    // Members born together that hold each other (the halves of one concatenated string, a
    // request's two emitters) are one object's parts, not a chain: a link joins members of
    // different iterations.
    const j = at.findIndex(
      (x, k) => k + 1 < at.length && born(path.nodes[x]) !== born(path.nodes[at[k + 1]]),
    );
    if (j < 0) continue;
    // The path shown stops at the first link of the same shape (a list's first two members
    // may well be of one iteration).
    const shape = (k: number): string =>
      path.edges
        .slice(at[k], at[k + 1])
        .map((e) => s.edgeNameString(e))
        .join('>');
    const link = shape(j);
    let k = 0;
    while (k < j && shape(k) !== link) k++;
    g.chain = {
      link: { nodes: path.nodes.slice(at[k], at[k + 1] + 1), edges: path.edges.slice(at[k], at[k + 1]) },
      length: at.length,
      // Told by the link whose two members were born in different iterations.
      keepsOlder: older(path.nodes[at[j + 1]], path.nodes[at[j]]),
    };
    g.path = { nodes: path.nodes.slice(0, at[k + 1] + 1), edges: path.edges.slice(0, at[k + 1]) };
    return;
  }
}
