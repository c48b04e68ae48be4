// Every problem with snapshot input surfaces as one of these: a stable code a caller can
// branch on, a sentence a person can read, and where in the byte stream it was found.

export type SnapshotErrorCode =
  | 'empty' // no bytes at all
  | 'truncated' // input ended before the document did
  | 'syntax' // not JSON where JSON was expected
  | 'not-a-snapshot' // valid JSON, but not a V8 heap snapshot
  | 'bad-meta' // snapshot.meta missing, malformed or self-contradictory
  | 'count-mismatch' // header counts disagree with the arrays
  | 'out-of-range' // an index (edge target, string, type) points outside its table
  | 'too-large' // a section is larger than it can plausibly be
  | 'cancelled'; // the caller asked to stop

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    /** Byte offset in the input where the problem was seen (-1 when it is not tied to one place). */
    readonly offset: number,
  ) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message);
  }
}

export function isSnapshotError(e: unknown): e is SnapshotError {
  return e instanceof SnapshotError;
}
