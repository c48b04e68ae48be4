// When a program we started is ready for its unit of work. Node prints "Debugger listening"
// and answers CDP from the start of its own bootstrap: a command arrives as an interrupt and
// runs in the middle of whatever JavaScript runs then (Node's internal set-up, then the main
// module), so the hunt's first evaluation of the action could run before the program had
// defined what the action names ("ReferenceError: work is not defined" at
// patchProcessObject, Module._initPaths...: 7 of 20 starts of
// test/fixtures/inspector/leaky-program.cjs, docs/v8-facts.md). A server, likewise, is not
// listening yet when its process starts.

import net from 'node:net';
import type { CdpClient } from './cdp';
import { InspectorError } from './errors';
import type { UnitOfWork } from './attach';

/** How a program's main module was loaded, as far as we can see it. */
export type MainKind = 'commonjs' | 'other';

/**
 * Settles on the first turn of the event loop, once a CommonJS main module has been run: Node
 * loads one synchronously before the loop turns, and its `loaded` is set once its body has
 * returned. An ES module main (no `process.mainModule`) is loaded asynchronously, across turns
 * of the loop, and nothing over CDP without the Debugger says when it has run: this waits only
 * for Node's own start there. Polled, not hooked: nothing of ours stays in the program.
 */
const STARTED = `new Promise((resolve) => {
  const check = () => {
    const main = process.mainModule;
    if (main && !main.loaded) setTimeout(check, 10);
    else resolve(main ? 'commonjs' : 'other');
  };
  setImmediate(check);
})`;

/** Between two attempts to reach a server that is not listening yet (ms). */
const CONNECT_RETRY_MS = 50;

/**
 * Waits until the program has started (above) and, for an HTTP unit of work, until its server
 * accepts a connection; rejects with SPAWN_FAILED when that takes past `deadline` (ms since
 * the epoch). A program that dies meanwhile rejects through the client's close, a cancel
 * through `signal`.
 */
export async function waitUntilStarted(
  client: CdpClient,
  work: UnitOfWork,
  deadline: number,
  signal?: AbortSignal,
): Promise<MainKind> {
  const left = (): number => Math.max(1, deadline - Date.now());
  let kind: MainKind;
  try {
    const res = await client.call(
      'Runtime.evaluate',
      { expression: STARTED, awaitPromise: true, returnByValue: true, silent: true },
      { timeoutMs: left(), signal },
    );
    if (res.exceptionDetails)
      throw new InspectorError('SPAWN_FAILED', `could not tell whether the program has started`);
    kind = res.result.value === 'commonjs' ? 'commonjs' : 'other';
  } catch (e) {
    if (e instanceof InspectorError && e.code === 'TIMEOUT')
      throw new InspectorError('SPAWN_FAILED', 'the program did not finish loading its main module in time', {
        cause: e,
      });
    throw e;
  }
  if (work.kind === 'http')
    await untilListening(new URL(work.url), deadline, () => client.isClosed || signal?.aborted === true);
  return kind;
}

/** Resolves once a TCP connection to the URL's host and port opens (and is closed again). */
async function untilListening(url: URL, deadline: number, gone: () => boolean): Promise<void> {
  const port = Number(url.port || 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  for (;;) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(null);
      });
      s.once('error', (e) => resolve(e));
    });
    if (!error) return;
    // Refused: nothing listens there yet. Anything else is the request's own to report.
    if (error.code !== 'ECONNREFUSED' || gone()) return;
    if (Date.now() + CONNECT_RETRY_MS > deadline)
      throw new InspectorError(
        'SPAWN_FAILED',
        `nothing listened on ${host}:${port} (the unit of work's URL) within the program's start bound`,
        { cause: error },
      );
    await new Promise((r) => setTimeout(r, CONNECT_RETRY_MS));
  }
}
