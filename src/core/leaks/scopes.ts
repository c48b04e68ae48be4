// Closures of one call share one scope (V8's Context): what the call made and the closures it
// registered elsewhere are one cause even when no object of one family holds the other's
// objects directly. readable.pipe(dest) registers closures on the source ('end', 'data') and on
// the destination ('unpipe', 'drain'); they all capture `dest` through pipe()'s scope, so the
// source's listener records hold the destination only through that scope, which no family owns.

import { HeapAnalysis } from '../graph/analysis';
import { Family } from './families';

/**
 * Pairs (f, g): most of f's tops are held by scopes born in the hunt that closures of g hold
 * too. Only new scopes count: an old one (a module's) is shared by every closure the module
 * ever makes, and would join unrelated leaks.
 */
export function heldThroughScopes(
  a: HeapAnalysis,
  families: Set<Family>,
  candidate: Uint8Array,
  top: Int32Array,
  familyOfTop: Map<number, Family>,
  isNew: (n: number) => boolean,
): [Family, Family][] {
  const s = a.snapshot;
  const { firstRetainer, retainerEdge } = a.retainers;
  const strong = (i: number): boolean => s.edgeType[retainerEdge[i]] !== a.kinds.eWeak;
  const isScope = (v: number): boolean =>
    !candidate[v] && isNew(v) && s.nodeNameString(v) === 'system / Context';
  const out: [Family, Family][] = [];
  for (const f of families) {
    const votes = new Map<Family, number>();
    for (const r of f.roots) {
      const seen = new Set<Family>();
      for (let i = firstRetainer[r]; i < firstRetainer[r + 1]; i++) {
        const scope = s.edgeOwner(retainerEdge[i]);
        if (!strong(i) || !isScope(scope)) continue;
        for (let j = firstRetainer[scope]; j < firstRetainer[scope + 1]; j++) {
          const c = s.edgeOwner(retainerEdge[j]);
          if (!strong(j) || !candidate[c]) continue;
          const g = familyOfTop.get(top[c]);
          if (g && g !== f && !seen.has(g)) {
            seen.add(g);
            votes.set(g, (votes.get(g) ?? 0) + 1);
          }
        }
      }
    }
    for (const [g, n] of votes) if (2 * n > f.roots.length) out.push([f, g]);
  }
  return out;
}
