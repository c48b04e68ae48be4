// What is wrong with a record the hot loops refused (numbers.ts reading forward, edgeTail.ts
// backward), and with a name that points past the strings. The loops test each record with a
// few plain comparisons and keep the largest string index they saw; only a failure is looked
// at again here, slowly, so the message names the first bad record exactly as a reader going
// from the start finds it.

import type { SnapshotErrorCode } from '../errors';
import { SnapshotError } from '../errors';
import type { EdgeLayout, NodeLayout } from '../header';

export type Fail = (code: SnapshotErrorCode, message: string, pos: number) => never;

/** The node record at b[i…] that failed the hot loop's test. */
export function badNode(
  b: Float64Array,
  i: number,
  node: number,
  L: NodeLayout,
  types: number,
  fail: Fail,
  at: number,
): never {
  const type = b[i + L.type];
  if (type >= types)
    fail('out-of-range', `node ${node} has type ${type}, but only ${types} node types exist`, at);
  return fail('out-of-range', `node ${node} has a value that does not fit in 32 bits`, at);
}

/** The edge record at b[i…] that failed the hot loop's test. */
export function badEdge(
  b: Float64Array,
  i: number,
  edge: number,
  L: EdgeLayout,
  types: number,
  nodeCount: number,
  fail: Fail,
  at: number,
): never {
  const type = b[i + L.type];
  const to = b[i + L.toNode];
  if (type >= types)
    fail('out-of-range', `edge ${edge} has type ${type}, but only ${types} edge types exist`, at);
  if (b[i + L.name] > 0xffffffff)
    fail('out-of-range', `edge ${edge} has a name index that does not fit in 32 bits`, at);
  return fail(
    'out-of-range',
    `edge ${edge} points to node offset ${to}, which is not one of the ${nodeCount} nodes`,
    at,
  );
}

/** 1 for an edge type whose name is a string index (the others name an element index). */
export function namedEdgeTypes(edgeTypes: readonly string[]): Uint8Array {
  return Uint8Array.from(edgeTypes, (t) => (t !== 'element' && t !== 'hidden' ? 1 : 0));
}

/**
 * Throws for the first node or edge naming a string past the table. Called only when the
 * largest index the parse saw is past it: a valid snapshot costs one comparison, not a pass.
 */
export function badName(
  names: Uint32Array,
  count: number,
  stringCount: number,
  what: 'node' | 'edge',
  at: number,
  types?: { type: Uint8Array; named: Uint8Array },
): never {
  for (let i = 0; i < count; i++) {
    if (names[i] >= stringCount && (!types || types.named[types.type[i]] === 1)) {
      throw new SnapshotError(
        'out-of-range',
        `${what} ${i} names string ${names[i]}, but there are only ${stringCount} strings`,
        at,
      );
    }
  }
  throw new Error(`no ${what} names a string past the table`);
}
