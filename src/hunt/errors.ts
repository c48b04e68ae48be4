// Everything a hunt can throw, in its wire form (src/contracts/errors.ts): the CLI, the hunt
// worker and the debug adapter all report by these codes.

import { ErrorCode, wireError, WireError, RemoteError } from '../contracts/errors';
import { isSnapshotError } from '../core/errors';
import { InspectorErrorCode, isInspectorError } from '../inspector/errors';

const INSPECTOR_CODES: Record<InspectorErrorCode, ErrorCode> = {
  NOT_LOOPBACK: 'not-loopback',
  CONNECT_FAILED: 'connect-failed',
  NO_TARGET: 'no-target',
  TIMEOUT: 'timeout',
  DISCONNECTED: 'disconnected',
  PROTOCOL: 'protocol',
  CANCELLED: 'cancelled',
  BUSY: 'busy',
  SCENARIO_INVALID: 'bad-scenario',
  NOT_A_SCENARIO: 'not-a-scenario',
  SCENARIO_THREW: 'scenario-threw',
  DEBUGGEE_EXITED: 'debuggee-exited',
  SPAWN_FAILED: 'spawn-failed',
  HTTP_FAILED: 'http-failed',
};

export function huntWireError(e: unknown): WireError {
  if (isInspectorError(e)) return { code: INSPECTOR_CODES[e.code], message: e.message };
  if (isSnapshotError(e)) return { code: e.code, message: e.message, offset: e.offset };
  return wireError(e);
}

/** The same error with its code, for callers on this side of the boundary (the CLI). */
export function asRemoteError(e: unknown): RemoteError {
  const w = huntWireError(e);
  return e instanceof RemoteError ? e : new RemoteError(w.code, w.message, w.offset);
}
