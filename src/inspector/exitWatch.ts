// A process we attached to that ends (process.exit(), or its work ran out) does not close
// its inspector socket: Node holds it open while our session lasts ("Waiting for the debugger
// to disconnect..."), so no heap-stats push and no answer to a running evaluation ever comes,
// and the hunt would wait for its longest timeout. What does change at once is that the
// program's execution context is gone. Runtime.globalLexicalScopeNames needs that context and
// says "Cannot find context with specified id" without it; it needs no Runtime.enable (whose
// console events would keep the program's console arguments alive, and read as growth) and
// compiles nothing (an evaluation would add a script to the heap per probe).

import type { CdpClient } from './cdp';
import { InspectorError, isInspectorError } from './errors';

/** How often the watch asks while a step of the hunt runs. */
const PROBE_EVERY_MS = 1000;
/** The exiting process still answers at once: what it sent us arrives before we close. */
const EXITING_FLUSH_MS = 2000;

const CONTEXT_GONE = /Cannot find context with specified id|Execution context was destroyed/;

/** V8's answer to a call that needs the program's context, once the process is exiting. */
function isContextGone(e: unknown): e is InspectorError {
  return isInspectorError(e, 'PROTOCOL') && CONTEXT_GONE.test(e.message);
}

/** What a step that failed because the process is exiting rejects with instead (else `e`). */
export function exitingInstead(e: unknown): unknown {
  if (!isContextGone(e)) return e;
  return new InspectorError(
    'DEBUGGEE_EXITED',
    'the process is exiting (it called process.exit(), or its work ran out) while the hunt ' +
      'was running; Heap Lens let it go so that it can end',
    { cause: e },
  );
}

/**
 * Watches an attached process for its exit; when it is exiting, ends the session (pending
 * calls and waits reject with DEBUGGEE_EXITED) so that the process can end. Returns the stop.
 */
export function watchForExit(client: CdpClient, everyMs = PROBE_EVERY_MS): () => void {
  let asking = false;
  let stopped = false;
  const ask = (): void => {
    if (asking || stopped || client.isClosed) return;
    asking = true;
    client
      .call('Runtime.globalLexicalScopeNames', {}, { timeoutMs: 60_000 })
      .then(
        () => undefined,
        (e: unknown) => {
          if (stopped || !isContextGone(e)) return;
          stopped = true;
          const why = exitingInstead(e) as InspectorError;
          // Not before what it sent us has arrived: Node 20 can crash with SIGSEGV when its
          // inspector sends while it reads the end of our socket (docs/v8-facts.md).
          void client.closeQuietly(why, EXITING_FLUSH_MS);
        },
      )
      .finally(() => (asking = false));
  };
  const timer = setInterval(ask, everyMs);
  timer.unref();
  const offClose = client.onClose(() => clearInterval(timer));
  return () => {
    stopped = true;
    clearInterval(timer);
    offClose();
  };
}
