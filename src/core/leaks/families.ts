// The families a hunt's new objects form, and how they hang together: each top-level new
// object (no other new object dominates it) heads a family with everything new below it;
// families held through one another are one cause (detect.ts merges them).

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';

export interface Family {
  rootClass: string;
  shape: string;
  path: RetainerPath;
  roots: number[];
  /** Every new object in the family, top-level or not, by class. */
  byClass: Map<string, number[]>;
}

/**
 * For each candidate, the top-level candidate whose dominator subtree holds it (itself when
 * no candidate dominates it); -1 for non-candidates.
 */
export function topCandidates(a: HeapAnalysis, candidate: Uint8Array): Int32Array {
  const n = a.snapshot.nodeCount;
  const { idom } = a;
  // nearest[v]: the nearest candidate among v's strict dominators; -1 none, -2 not yet known.
  const nearest = new Int32Array(n).fill(-2);
  nearest[a.snapshot.rootOrdinal] = -1;
  const chain: number[] = [];
  const nearestOf = (v: number): number => {
    chain.length = 0;
    for (let u = v; nearest[u] === -2; u = idom[u]) chain.push(u);
    for (let j = chain.length - 1; j >= 0; j--) {
      const d = idom[chain[j]];
      nearest[chain[j]] = candidate[d] ? d : nearest[d];
    }
    return nearest[v];
  };
  // top[v] for candidates, memoised the same way so a long chain of new objects stays linear.
  const top = new Int32Array(n).fill(-1);
  const climbed: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!candidate[i] || top[i] >= 0) continue;
    climbed.length = 0;
    let t = i;
    for (let up = nearestOf(t); up >= 0 && top[t] < 0; up = nearestOf(t)) {
      climbed.push(t);
      t = up;
    }
    const answer = top[t] >= 0 ? top[t] : t;
    top[t] = answer;
    for (const c of climbed) top[c] = answer;
  }
  return top;
}

/** Pairs (f, g): most of f's tops are also held by g's objects. */
export function heldAlsoBy(
  a: HeapAnalysis,
  families: Set<Family>,
  candidate: Uint8Array,
  top: Int32Array,
  familyOfTop: Map<number, Family>,
): [Family, Family][] {
  const { firstRetainer, retainerEdge } = a.retainers;
  const out: [Family, Family][] = [];
  for (const f of families) {
    const votes = new Map<Family, number>();
    for (const r of f.roots) {
      const seen = new Set<Family>();
      for (let i = firstRetainer[r]; i < firstRetainer[r + 1]; i++) {
        const from = a.snapshot.edgeOwner(retainerEdge[i]);
        if (!candidate[from] || a.snapshot.edgeType[retainerEdge[i]] === a.kinds.eWeak) continue;
        const g = familyOfTop.get(top[from]);
        if (g && g !== f && !seen.has(g)) {
          seen.add(g);
          votes.set(g, (votes.get(g) ?? 0) + 1);
        }
      }
    }
    for (const [g, n] of votes) if (2 * n > f.roots.length) out.push([f, g]);
  }
  return out;
}

/** Where following `parentOf` from `f` ends (guards a merge against a cycle). */
export function causeOfParent(parentOf: Map<Family, Family>, f: Family): Family {
  const seen = new Set<Family>();
  let c = f;
  while (parentOf.has(c) && !seen.has(c)) {
    seen.add(c);
    c = parentOf.get(c)!;
  }
  return c;
}
