// The shape of a retainer path, for grouping objects that are alive for the same reason:
// indexes are wildcards (`[12]` and `[13]` are one slot of one array), and a run of one step
// repeated (a linked list's `.next`) counts once, so its members do not split by depth.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className } from '../describe';

export function pathShape(a: HeapAnalysis, p: RetainerPath): string {
  const s = a.snapshot;
  const steps: string[] = [];
  for (let i = 0; i < p.edges.length; i++) {
    const e = p.edges[i];
    const t = s.edgeTypeName(e);
    const name = t === 'element' || t === 'hidden' || /^\d+$/.test(s.edgeNameString(e)) ? '[]' : s.edgeNameString(e);
    const step = `${t}:${name}>${className(a, p.nodes[i + 1])}`;
    if (steps.length > 0 && steps[steps.length - 1] === step) continue;
    // Two-step repeats (a → b → a → b) are the same kind of chain.
    if (steps.length > 2 && steps[steps.length - 2] === step) continue;
    steps.push(step);
  }
  return steps.join('/');
}
