// V8's global symbol registry, which `Symbol.for(key)` fills and nothing ever empties: in a
// snapshot it is a nameless internal array, `(Strong roots) → public_symbol_table`, holding
// each key (the symbol's description, an internalized string) beside its symbol. The key
// strings are also in V8's string table, `(Internalized strings)`, which is the shorter path
// but says nothing: V8 drops a string from that table once nothing else holds it. So a leak
// of registry keys is shown through the registry, and named as the program makes it.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath, shortestRetainerPath } from '../paths';

/** What a leak of registry entries is named: the call that makes them. */
export const SYMBOL_FOR = 'Symbol.for';

/** The edge name V8 gives the registry under its strong roots. */
export const SYMBOL_REGISTRY_EDGE = 'public_symbol_table';

const tables = new WeakMap<HeapAnalysis, number>();

/** The registry's array, or -1 when the snapshot has none. */
function registryTable(a: HeapAnalysis): number {
  const known = tables.get(a);
  if (known !== undefined) return known;
  const s = a.snapshot;
  let table = -1;
  for (let n = 0; n < s.nodeCount && table < 0; n++) {
    if (s.nodeType[n] !== a.kinds.synthetic) continue;
    for (let e = s.firstEdge[n]; e < s.firstEdge[n + 1]; e++) {
      if (s.edgeType[e] === a.kinds.eInternal && s.edgeNameString(e) === SYMBOL_REGISTRY_EDGE) {
        table = s.edgeTarget[e];
        break;
      }
    }
  }
  tables.set(a, table);
  return table;
}

/**
 * The path to a registry entry (a key string, or a symbol) through the registry, or null
 * when the registry does not hold `member`.
 */
export function symbolRegistryPath(
  a: HeapAnalysis,
  member: number,
  distance: Int32Array = a.distance,
): RetainerPath | null {
  const table = registryTable(a);
  if (table < 0) return null;
  const s = a.snapshot;
  for (let e = s.firstEdge[table]; e < s.firstEdge[table + 1]; e++) {
    if (s.edgeTarget[e] !== member) continue;
    const head = shortestRetainerPath(a, table, distance);
    return head && { nodes: [...head.nodes, member], edges: [...head.edges, e] };
  }
  return null;
}

/** Whether a path ends in the registry (its last edge leaves the registry's array). */
export function throughSymbolRegistry(a: Pick<HeapAnalysis, 'snapshot'>, p: RetainerPath): boolean {
  const n = p.edges.length;
  return n >= 2 && a.snapshot.edgeNameString(p.edges[n - 2]) === SYMBOL_REGISTRY_EDGE;
}

/** `Symbol.for("cache:/items/4…")`, a registry key as the program wrote the call. */
export function symbolForText(key: string, max = 40): string {
  const cut = key.length > max ? `${key.slice(0, max)}…` : key;
  return `Symbol.for(${JSON.stringify(cut)})`;
}
