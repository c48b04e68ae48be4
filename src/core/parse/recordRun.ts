// The number arrays' fast path (numbers.ts): whole records in the layout writers use, read
// without the general loop's separator states. V8 writes "1,2,3\n,4,5,6\n,…", a compact writer
// "1,2,3,4,5,6": per number, digits, at most two whitespace bytes either side, then a comma.
// That is most of a snapshot's bytes, and this loop takes about a third less CPU per byte than
// the general one (no state per separator, no check per byte of where the input ends).
// edgeTail.ts reads the same layout backward the same way.

import { ByteClass, isWs } from './bytes';

/**
 * The most bytes a field of a record takes in a run: two whitespace bytes, 15 digits (the
 * general loop's limit), two whitespace bytes and the comma.
 */
export const RUN_BYTES_PER_FIELD = 20;

/** What a run read: the byte after its last comma, and the batch's length after it. */
export interface RunEnd {
  pos: number;
  n: number;
}

/**
 * Reads records of `f` numbers from `pos`, each ending in its ",", into `batch` from `n`, while
 * a record starts below `limit` (so one in that layout cannot run past the input) and the next
 * one fits below `room` numbers. Stops before the first record not in that layout (the last
 * one, which ends in "]" instead, any other byte, a number of more than 15 digits), which the
 * general loop then reads from its first byte, finding any error where it always has.
 */
export function readRecords(
  buf: Uint8Array,
  pos: number,
  limit: number,
  batch: Float64Array,
  n: number,
  f: number,
  room: number,
  out: RunEnd,
): void {
  let p = pos;
  while (p < limit && n + f < room) {
    const start = p;
    let k = 0;
    for (; k < f; k++) {
      let c = buf[p];
      // Whitespace is below the digits: one comparison when there is none (nearly always).
      if (c < ByteClass.Zero) {
        if (isWs(c)) c = buf[++p];
        if (isWs(c)) c = buf[++p];
      }
      if (c < ByteClass.Zero || c > ByteClass.Nine) break;
      const first = p;
      let v = c - ByteClass.Zero;
      // Past `limit` only in a number too long, and then a read past the input ends it.
      while ((c = buf[++p]) >= ByteClass.Zero && c <= ByteClass.Nine) v = v * 10 + (c - ByteClass.Zero);
      if (p - first > 15) break;
      if (c !== ByteClass.Comma) {
        if (isWs(c)) c = buf[++p];
        if (isWs(c)) c = buf[++p];
        if (c !== ByteClass.Comma) break;
      }
      p++;
      batch[n + k] = v;
    }
    if (k < f) {
      p = start;
      break;
    }
    n += f;
  }
  out.pos = p;
  out.n = n;
}
