// The typed columns the number arrays are read into, and how they grow: split from numbers.ts
// (the hot loop), so that file reads one machine.

/** The columns nodes and edges are read into; `length` of each may exceed the count read. */
export interface NodeColumns {
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  nodeSelf: Float64Array;
  /** Edge counts one slot up while reading; first-edge indexes once "nodes" is closed. */
  firstEdge: Uint32Array;
  nodeTrace: Uint32Array | null;
  nodeDetached: Uint8Array | null;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  edgeTarget: Uint32Array;
}

type Column = Uint8Array | Uint32Array | Float64Array;

/** A new array of the same type and the same kind of memory (shared stays shared). */
export function resized<T extends Column>(a: T, n: number): T {
  const Ctor = a.constructor as new (buffer: ArrayBufferLike) => T;
  const bytes = n * a.BYTES_PER_ELEMENT;
  const b = new Ctor(
    a.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
}

/** The array cut to n elements (a copy only when it is longer). */
export function shrink<T extends Column>(a: T, n: number): T {
  return a.length === n ? a : resized(a, n);
}
