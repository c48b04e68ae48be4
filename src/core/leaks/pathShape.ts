// The shape of a retainer path, for grouping objects that are alive for the same reason:
// indexes are wildcards (`[12]` and `[13]` are one slot of one array), and a run of one step
// repeated (a linked list's `.next`) counts once, so its members do not split by depth.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className } from '../describe';

const DICTIONARY_SIZE = 64;
const LINK = /^_?(idle)?(next|prev|previous)$/i;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * An object used as a keyed container: V8 switched it to dictionary mode (its properties
 * live in an `(object properties)` hash table), or it has more properties than any shape.
 */
export function isDictionary(a: Pick<HeapAnalysis, 'snapshot' | 'kinds'>, owner: number): boolean {
  const s = a.snapshot;
  if (s.firstEdge[owner + 1] - s.firstEdge[owner] > DICTIONARY_SIZE) return true;
  for (let e = s.firstEdge[owner]; e < s.firstEdge[owner + 1]; e++) {
    if (
      s.edgeType[e] === a.kinds.eInternal &&
      s.edgeNameString(e) === 'properties' &&
      s.nodeNameString(s.edgeTarget[e]) === '(object properties)'
    )
      return true;
  }
  return false;
}

export function pathShape(a: HeapAnalysis, p: RetainerPath): string {
  const s = a.snapshot;
  const steps: string[] = [];
  // Hops from a closure to its scope and from a scope to a captured function, since the last
  // other step: a chain of wrappers (`fn = wrap(fn)` applied again and again) runs through
  // them, and which captured variable the path takes at each link (two wrappers of one scope,
  // `origCwd` or `chdir`) depends on the walk's order, not on why the object is alive.
  let scopeHops = 0;
  for (let i = 0; i < p.edges.length; i++) {
    const e = p.edges[i];
    const t = s.edgeTypeName(e);
    const owner = p.nodes[i];
    const raw = s.edgeNameString(e);
    const toFunction = s.nodeType[p.nodes[i + 1]] === a.kinds.closure;
    const scopeHop = (t === 'internal' && raw === 'context') || (t === 'context' && toFunction);
    scopeHops = scopeHop ? scopeHops + 1 : 0;
    // From a closure's scope to a function it captured, a link of the chain is one step,
    // whatever the variable is called.
    if (t === 'context' && toFunction && scopeHops > 1) {
      const step = `context:*>${className(a, p.nodes[i + 1])}`;
      if (!steps.slice(-2).includes(step)) steps.push(step);
      continue;
    }
    // An object used as a dictionary (keys made from data) is one slot per key: its property
    // names are data, not structure.
    const dictionary = t === 'property' && (isDictionary(a, owner) || !IDENTIFIER.test(raw));
    // Linked-list links name a direction; objects in one ring are alive for one reason.
    const name = LINK.test(raw)
      ? 'link'
      : t === 'element' || t === 'hidden' || /^\d+$/.test(s.edgeNameString(e))
        ? '[]'
        : dictionary
          ? '{}'
          : s.edgeNameString(e);
    const to = className(a, p.nodes[i + 1]);
    // A link between two objects of one class is a chain (a linked list or a ring, walked
    // either way round): one step, whatever the link is called.
    const step = i > 0 && className(a, owner) === to ? `chain>${to}` : `${t}:${name}>${to}`;
    if (steps.length > 0 && steps[steps.length - 1] === step) continue;
    // Two-step repeats (a → b → a → b) are the same kind of chain.
    if (steps.length > 2 && steps[steps.length - 2] === step) continue;
    steps.push(step);
  }
  return steps.join('/');
}
