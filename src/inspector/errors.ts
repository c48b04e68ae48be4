// One error type for everything that can go wrong between us and a debuggee, so the
// leak hunt (and the UI above it) can switch on `code` instead of parsing messages.

export type InspectorErrorCode =
  /** The host is not loopback and `allowRemote` was not set. */
  | 'NOT_LOOPBACK'
  /** Could not open the WebSocket / HTTP connection (refused, unreachable, handshake timeout). */
  | 'CONNECT_FAILED'
  /** `/json/list` answered but listed no Node target. */
  | 'NO_TARGET'
  /** A request got no answer in time. */
  | 'TIMEOUT'
  /** The socket closed (or was closed by us) while requests were pending. */
  | 'DISCONNECTED'
  /** The debuggee answered a request with a CDP error. */
  | 'PROTOCOL'
  /** Cancelled through an AbortSignal. */
  | 'CANCELLED'
  /** Another heap operation is running on the same client. */
  | 'BUSY'
  /** The scenario module could not be loaded. */
  | 'SCENARIO_INVALID'
  /** The module loads but exports no `action` function: not a scenario. */
  | 'NOT_A_SCENARIO'
  /** The scenario's setup/action/back (or an attach-mode expression) threw or rejected. */
  | 'SCENARIO_THREW'
  /** The debuggee process exited or was killed. */
  | 'DEBUGGEE_EXITED'
  /** The debuggee process could not be started or never opened its inspector port. */
  | 'SPAWN_FAILED'
  /** Attach mode: the HTTP unit of work failed. */
  | 'HTTP_FAILED';

export class InspectorError extends Error {
  override readonly name = 'InspectorError';
  constructor(
    readonly code: InspectorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isInspectorError(e: unknown, code?: InspectorErrorCode): e is InspectorError {
  return e instanceof InspectorError && (code === undefined || e.code === code);
}

/** The error to reject with when a signal fires: keep a caller-supplied InspectorError as is. */
export function abortError(signal: AbortSignal, what: string): InspectorError {
  const r: unknown = signal.reason;
  if (r instanceof InspectorError) return r;
  return new InspectorError('CANCELLED', `${what} was cancelled`, { cause: r });
}
