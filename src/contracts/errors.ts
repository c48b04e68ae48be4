// Errors that cross a boundary (worker → caller, hunt → CLI or extension) as stable codes:
// callers branch on `code`, never on the message text, which is for people.

import type { SnapshotErrorCode } from '../core/errors';

export type HuntErrorCode =
  /** The person (or a signal) stopped the work; nothing to report. */
  | 'cancelled'
  /** The scenario module could not be loaded. */
  | 'bad-scenario'
  /** The file loads but exports no `action`: not a scenario (it may be a program to run). */
  | 'not-a-scenario'
  /** The scenario's setup/action/back or an attach-mode expression threw. */
  | 'scenario-threw'
  | 'timeout'
  | 'debuggee-exited'
  | 'spawn-failed'
  | 'connect-failed'
  | 'not-loopback'
  | 'no-target'
  | 'disconnected'
  | 'protocol'
  | 'busy'
  | 'http-failed'
  /** A value asked about is not an object on the heap (a primitive, or it threw). */
  | 'not-an-object'
  /** A live-hunt step came before its start, or the analysis before enough snapshots. */
  | 'no-live-hunt'
  | 'too-few-snapshots';

export type ErrorCode =
  | SnapshotErrorCode
  | HuntErrorCode
  /** A question about a snapshot before one was loaded. */
  | 'no-snapshot'
  /** A bug: anything that has no code of its own. */
  | 'internal';

export interface WireError {
  code: ErrorCode;
  message: string;
  /** For snapshot errors: the byte offset where the problem was seen. */
  offset?: number;
}

/** An error with a code from the other side of a boundary (or raised with one on this side). */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

export function isRemoteError(e: unknown, ...codes: ErrorCode[]): e is RemoteError {
  return e instanceof RemoteError && (codes.length === 0 || codes.includes(e.code));
}

export function isCancelled(e: unknown): boolean {
  return isRemoteError(e, 'cancelled');
}

/** The wire form of anything thrown: its code when it carries one of ours, else `internal`. */
export function wireError(e: unknown, code?: ErrorCode): WireError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RemoteError)
    return { code: e.code, message, ...(e.offset !== undefined ? { offset: e.offset } : {}) };
  return { code: code ?? 'internal', message };
}
