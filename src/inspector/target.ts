// What the leak hunt drives, whether we started the process (runner.ts) or attached
// to one (attach.ts), plus the CDP steps both share.

import type { CdpClient } from './cdp';
import { InspectorError } from './errors';
import { ScriptRegistry } from './scripts';
import {
  SnapshotSink,
  stopTracking,
  StopTrackingOptions,
  takeSnapshot,
  TakeSnapshotOptions,
} from './snapshot';

export interface HuntTarget {
  readonly client: CdpClient;
  /** Script ids → URLs and source maps, filled from Debugger.scriptParsed. */
  readonly scripts: ScriptRegistry;
  /** Run the scenario's `setup` once (no-op when there is none). */
  runSetup(): Promise<void>;
  /** `k` units of work before the baseline, so lazy caches and JIT state settle. */
  runWarmup(k: number): Promise<void>;
  /** One unit of work (spawned: `action` then `back`). */
  runIteration(): Promise<void>;
  /** GC, then stream a snapshot into `sink`. Console entries are discarded first (see takeProgramSnapshot below). */
  takeSnapshot(sink: SnapshotSink, options?: TakeSnapshotOptions): Promise<void>;
  /** Object tracking on (heap-stats pushes, ids kept through moves), with allocation stacks unless `allocations` is false. */
  startTracking(allocations?: boolean): Promise<void>;
  /** The highest object id handed out so far (see markObjectIds in snapshot.ts). */
  markObjectIds(signal?: AbortSignal): Promise<number>;
  /** The hunt's one full snapshot, which also ends tracking (see takeFinalSnapshot). */
  takeFinalSnapshot(sink: SnapshotSink, options?: TakeSnapshotOptions): Promise<void>;
  /** Safe when tracking is off. Stopping makes V8 send one more snapshot: discarded unless `sink` is given. */
  stopTracking(options?: StopTrackingOptions): Promise<void>;
  /** Leave nothing behind: tracking off, debuggee resumed (attach) or killed (spawned), socket closed. Idempotent. */
  dispose(): Promise<void>;
}

/** Evaluations run in this object group, released after each call, so no result outlives it. */
const OBJECT_GROUP = 'heaplens';

/**
 * Subscribe the registry, enable Debugger (for scriptParsed) without ever letting it
 * pause the debuggee: a stray `debugger;` statement or a breakpoint left by another
 * session must not wedge the hunt.
 */
export async function prepareDebuggee(client: CdpClient, scripts: ScriptRegistry): Promise<void> {
  scripts.attach(client);
  // Through js-debug's proxy the Debugger domain is js-debug's: already enabled (so V8
  // will not replay scriptParsed; snapshot script_name paths still resolve from disk),
  // and skipping pauses there would silently disable the user's breakpoints.
  if (client.viaJsDebugProxy) return;
  await client.send('Debugger.enable', {});
  await client.send('Debugger.setSkipAllPauses', { skip: true });
  // A process started with --inspect-brk waits for this; otherwise it is a no-op.
  await client.send('Runtime.runIfWaitingForDebugger');
}

/**
 * The V8 inspector keeps the arguments of every console.* call (up to 1000) alive for
 * a future Runtime.enable. A scenario that logs per iteration would "leak" them, so
 * drop them before each snapshot.
 */
export async function discardConsoleEntries(client: CdpClient): Promise<void> {
  await client.send('Runtime.discardConsoleEntries');
}

/**
 * A snapshot of what the program holds: console entries dropped first (not through js-debug's
 * proxy, where the console belongs to the user's session), then streamed into `sink`.
 */
export async function takeProgramSnapshot(
  client: CdpClient,
  sink: SnapshotSink,
  options?: TakeSnapshotOptions,
): Promise<void> {
  if (!client.viaJsDebugProxy) await discardConsoleEntries(client);
  await takeSnapshot(client, sink, options);
}

/**
 * The snapshot that ends a hunt: console entries dropped (as takeProgramSnapshot), garbage
 * collected, then tracking stopped with its snapshot kept. V8 streams a full snapshot when
 * tracking stops (taken while still tracking, so it has the allocation stacks); using it as
 * the hunt's one snapshot means tracking is off the moment the snapshot is done, and V8 never
 * serialises the heap twice.
 */
export async function takeFinalSnapshot(
  client: CdpClient,
  sink: SnapshotSink,
  options: TakeSnapshotOptions = {},
): Promise<void> {
  if (!client.viaJsDebugProxy) await discardConsoleEntries(client);
  if (options.collectGarbage !== false)
    await client.call('HeapProfiler.collectGarbage', undefined, { signal: options.signal });
  await stopTracking(client, { ...options, sink, force: true });
}

/**
 * Evaluate `expression` in the debuggee, awaiting a returned promise. A throw or
 * rejection becomes SCENARIO_THREW carrying the debuggee's stack.
 */
export async function evaluateUnit(
  client: CdpClient,
  expression: string,
  timeoutMs: number,
  what: string,
): Promise<void> {
  let timedOut = false;
  try {
    const res = await client.call(
      'Runtime.evaluate',
      {
        expression,
        awaitPromise: true,
        returnByValue: true,
        silent: true,
        objectGroup: OBJECT_GROUP,
        includeCommandLineAPI: false,
      },
      { timeoutMs },
    );
    if (res.exceptionDetails)
      throw new InspectorError('SCENARIO_THREW', `${what} threw: ${thrownText(res.exceptionDetails)}`);
  } catch (e) {
    if (e instanceof InspectorError && e.code === 'TIMEOUT') {
      // Still running: it would not answer a release either (the caller ends or drops it).
      timedOut = true;
      throw new InspectorError('TIMEOUT', `${what} did not finish within ${timeoutMs} ms`, { cause: e });
    }
    throw e;
  } finally {
    if (!client.isClosed && !timedOut)
      await client.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }
}

/** What was thrown, in words: `throw undefined` has no description and only "Uncaught" as text. */
function thrownText(d: {
  exception?: { type?: string; subtype?: string; description?: string; value?: unknown };
  text: string;
}): string {
  const x = d.exception;
  if (x?.description !== undefined) return x.description;
  if (x?.type === 'undefined') return 'undefined (not an Error, so there is no stack)';
  if (x && 'value' in x)
    return `${JSON.stringify(x.value) ?? String(x.value)} (not an Error, so there is no stack)`;
  return d.text;
}
