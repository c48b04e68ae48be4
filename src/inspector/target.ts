// What the leak hunt drives, whether we started the process (runner.ts) or attached
// to one (attach.ts), plus the CDP steps both share.

import type { CdpClient } from './cdp';
import { InspectorError } from './errors';
import { ScriptRegistry } from './scripts';
import { pipeSnapshot, writeHeapSnapshotInto } from './pipeSnapshot';
import { ObjectMark, unitAnswered } from './marks';
import type { Protocol } from 'devtools-protocol';
import { FinishResult, FramedResult, HARNESS_GLOBAL, SNAPSHOT_WRITE_ERROR } from './harnessProtocol';
import {
  ByteSnapshotSink,
  endTracking,
  SnapshotSink,
  stopTracking,
  StopTrackingOptions,
  takeSnapshot,
  TakeSnapshotOptions,
} from './snapshot';

/** A finished unit of work. */
export interface UnitDone {
  /** Where its answer stands in the message order (CdpClient.messagesReceived); -1 when not over CDP. */
  seq: number;
  /** It ran without yielding to the event loop, so no heap-stats push ran in its middle (harness iterate). */
  synchronous: boolean;
}

export interface HuntTarget {
  readonly client: CdpClient;
  /** Script ids → URLs and source maps, filled from Debugger.scriptParsed. */
  readonly scripts: ScriptRegistry;
  /** Run the scenario's `setup` once (no-op when there is none). */
  runSetup(): Promise<void>;
  /** `k` units of work before the baseline, so lazy caches and JIT state settle. */
  runWarmup(k: number): Promise<void>;
  /** One unit of work (spawned: `action` then `back`). */
  runIteration(): Promise<UnitDone>;
  /** GC, then stream a snapshot into `sink`. Console entries are discarded first (see takeProgramSnapshot below). */
  takeSnapshot(sink: SnapshotSink, options?: TakeSnapshotOptions): Promise<void>;
  /**
   * Object tracking on (heap-stats pushes, ids kept through moves), with allocation stacks unless
   * `allocations` is false. `onSent`: called once the command is on its way, before its answer.
   */
  startTracking(allocations?: boolean, onSent?: () => void): Promise<void>;
  /** The highest object id handed out so far, and the live heap then (marks.ts). */
  markObjectIds(signal?: AbortSignal): Promise<ObjectMark>;
  /** The hunt's one full snapshot, which also ends tracking (see takeFinalSnapshot). */
  takeFinalSnapshot(sink: ByteSnapshotSink, options?: TakeSnapshotOptions): Promise<void>;
  /**
   * One more unit of work with the final snapshot straight after it, no heap-stats push between
   * them (finishWithSnapshot); tracking stays on. Absent, or null having done nothing, where the
   * target cannot (no harness, no named pipes): then runIteration and takeFinalSnapshot.
   */
  runLastIteration?(sink: ByteSnapshotSink, options: LastUnitOptions): Promise<LastUnit | null>;
  /**
   * All `n` iterations and the final snapshot in one evaluation, each unit inside its own
   * iteration frame (harness.ts framed): no heap-stats push between them, births read from the
   * allocation traces (src/core/leaks/births.ts); tracking stays on. Absent, or null having done
   * nothing, where the target cannot (no harness, no named pipes) or its warm-ups were not pure.
   */
  runFramed?(n: number, sink: ByteSnapshotSink, options: FramedOptions): Promise<FramedRun | null>;
  /** Notes the program's big containers, before the start mark (containerNote.ts). */
  noteContainers(): Promise<void>;
  /** Notes each noted container's entry count, just before the start mark. */
  countNotedContainers(): Promise<void>;
  /** The noted containers' entry counts now, in the note's order; the note is removed. */
  readContainerNote(): Promise<number[]>;
  /** Tracking off without a snapshot, once the final snapshot is taken (not awaited by the hunt). */
  endTracking(): Promise<void>;
  /** Safe when tracking is off. Stopping makes V8 send one more snapshot: discarded unless `sink` is given. */
  stopTracking(options?: StopTrackingOptions): Promise<void>;
  /** After the final snapshot: the loaded scripts into `scripts`, for the report's sites (announceScripts). */
  announceScripts(): Promise<void>;
  /** Leave nothing behind: tracking off, debuggee resumed (attach) or killed (spawned), socket closed. Idempotent. */
  dispose(): Promise<void>;
}

export interface LastUnitOptions extends TakeSnapshotOptions {
  /** Write the snapshot only if the unit returned no promise (a speculative last unit, hunt.ts). */
  onlyIfSynchronous: boolean;
  /** Called once V8's first byte of the snapshot has arrived. */
  onFirstByte?: () => void;
}

export interface FramedOptions extends TakeSnapshotOptions {
  /** Called once V8's first byte of the snapshot has arrived. */
  onFirstByte?: () => void;
  /** Called just before the run is sent (not when runFramed does nothing). */
  onStart?: () => void;
}

/** A framed run: where its answer stands, how many units ran, whether the snapshot was written. */
export interface FramedRun {
  seq: number;
  done: number;
  written: boolean;
}

/** The last unit of work, and whether the snapshot after it was taken. */
export interface LastUnit extends UnitDone {
  snapshot: boolean;
}

/** Evaluations run in this object group, released after each call, so no result outlives it. */
const OBJECT_GROUP = 'heaplens';

/**
 * Subscribe the registry and let a process started with --inspect-brk run. With `scripts: 'now'`
 * (the live hunt, whose person may debug meanwhile) the Debugger is enabled at once; a hunt
 * asks for the scripts only after its last snapshot (announceScripts), because while the
 * Debugger is on every evaluation the hunt makes is answered ~40 ms late: V8 compiles it,
 * the inspector writes Debugger.scriptParsed and then the answer as two small TCP writes, and
 * the second waits (Nagle) for our delayed ACK of the first (docs/v8-facts.md). V8 replays
 * every script still loaded on Debugger.enable, so nothing the report needs is missed but
 * scripts already collected, whose files are read from disk instead.
 */
export async function prepareDebuggee(
  client: CdpClient,
  scripts: ScriptRegistry,
  when: { scripts: 'now' | 'later' } = { scripts: 'now' },
): Promise<void> {
  scripts.attach(client);
  if (when.scripts === 'now') await announceScripts(client);
  // A process started with --inspect-brk waits for this; otherwise it is a no-op.
  if (!client.viaJsDebugProxy) await client.send('Runtime.runIfWaitingForDebugger');
}

/**
 * Enable Debugger (for scriptParsed, replayed for every loaded script) without ever letting it
 * pause the debuggee: a stray `debugger;` statement or a breakpoint left by another session must
 * not wedge the hunt. Through js-debug's proxy the Debugger domain is js-debug's: already enabled
 * (so V8 will not replay scriptParsed; snapshot script_name paths still resolve from disk), and
 * skipping pauses there would silently disable the user's breakpoints.
 */
export async function announceScripts(client: CdpClient): Promise<void> {
  if (client.viaJsDebugProxy) return;
  await client.send('Debugger.enable', {});
  await client.send('Debugger.setSkipAllPauses', { skip: true });
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

export interface FinalSnapshotOptions extends TakeSnapshotOptions {
  /**
   * We started the debuggee on this machine (and kill it when the hunt ends): it writes the
   * snapshot into a pipe without the check that it sees it, and the hunt does not wait for
   * tracking to stop.
   */
  local?: boolean;
}

/**
 * The snapshot that ends a hunt, taken while tracking is still on (so it has the allocation
 * stacks), then tracking stopped without a second snapshot. Console entries are dropped first
 * (as takeProgramSnapshot). V8 collects garbage itself before any snapshot.
 *
 * Written by the debuggee into our pipe whenever it runs on this machine as a user who may write
 * it (pipeSnapshot.ts checks, for a process we did not start), else over CDP.
 *
 * Not stopTrackingHeapObjects' own snapshot: V8 makes one more heap-stats push (a full GC and a
 * heap walk) before it, and streams it over CDP only. Except through js-debug's proxy: there the
 * HeapProfiler domain is the user's debug session's, and the only other way to end tracking,
 * HeapProfiler.disable, would change their session (it also ends a sampling heap profile of
 * theirs and forgets every object id); a snapshot into our pipe would then need this one as well.
 */
export async function takeFinalSnapshot(
  client: CdpClient,
  sink: ByteSnapshotSink,
  options: FinalSnapshotOptions = {},
): Promise<void> {
  if (client.viaJsDebugProxy) {
    await stopTracking(client, { ...options, sink, force: true });
    return;
  }
  // Not awaited: with tracking on every answer waits for V8's heap-stats push in progress, and
  // the snapshot's command queues behind this one anyway.
  void discardConsoleEntries(client).catch(() => undefined);
  try {
    const writer = writeHeapSnapshotInto(options.captureNumericValue ?? false, !options.local);
    const piped = await pipeSnapshot(client, sink, options, writer);
    if (!piped?.written) await takeSnapshot(client, sink, { ...options, collectGarbage: false });
  } finally {
    // A debuggee we started is killed next, so the analysis need not wait for V8 to stop.
    // Cancelled: the target lets go of the process instead (attach.ts dispose).
    const ended = endTracking(client).catch(() => undefined);
    if (!options.local && !options.signal?.aborted) await ended;
  }
}

/**
 * The harness's last unit of work and the final snapshot in one evaluation (harness.ts finish):
 * the inspector runs queued commands one after another before any microtask, so a separate
 * snapshot command would run before the unit's promise settles, and one sent after its answer
 * waits for the heap-stats push V8 starts meanwhile (most of a second on a big heap). Console
 * entries are dropped in between by the harness. Null, having done nothing, without named pipes.
 */
export async function finishWithSnapshot(
  client: CdpClient,
  sink: ByteSnapshotSink,
  options: LastUnitOptions,
  unitTimeoutMs: number,
): Promise<LastUnit | null> {
  const piped = await harnessWithSnapshot(
    client,
    sink,
    options,
    (pipe, numeric) => `finish(${pipe}, ${numeric}, ${options.onlyIfSynchronous})`,
    unitTimeoutMs,
  );
  if (!piped) return null;
  const r = piped.value as FinishResult;
  return { seq: piped.seq, synchronous: r.synchronous === true, snapshot: piped.written };
}

/**
 * The hunt's iterations and its snapshot in one evaluation (harness.ts framed). Null, having done
 * nothing, without named pipes. Each unit keeps its own bound before V8's first byte.
 */
export async function framedWithSnapshot(
  client: CdpClient,
  n: number,
  sink: ByteSnapshotSink,
  options: FramedOptions,
  unitTimeoutMs: number,
): Promise<FramedRun | null> {
  const piped = await harnessWithSnapshot(
    client,
    sink,
    options,
    (pipe, numeric) => `framed(${n}, ${pipe}, ${numeric})`,
    unitTimeoutMs * n,
  );
  if (!piped) return null;
  return { seq: piped.seq, done: (piped.value as FramedResult).done, written: piped.written };
}

/** A harness call (`call`: its name and arguments, given the pipe's path) that writes the snapshot into a pipe. */
async function harnessWithSnapshot(
  client: CdpClient,
  sink: ByteSnapshotSink,
  options: TakeSnapshotOptions & { onFirstByte?: () => void },
  call: (pipe: string, numeric: boolean) => string,
  leadMs: number,
): Promise<{ seq: number; value: unknown; written: boolean } | null> {
  const numeric = options.captureNumericValue ?? false;
  const piped = await pipeSnapshot(client, sink, options, {
    expression: (pipe) => `globalThis.${HARNESS_GLOBAL}.${call(JSON.stringify(pipe.path), numeric)}`,
    leadMs,
    wrote: (v) => (v as { written?: boolean } | undefined)?.written === true,
    onFirstByte: options.onFirstByte,
    threw: unitThrew,
  });
  if (piped) unitAnswered(client, piped.seq);
  return piped;
}

/**
 * Compaction off (`on`) or back on in a running process, for a hunt in a process we did not start
 * (those we start get `--no-compact`): V8 moves an object's allocation record along with the
 * object only while the object has no heap id, and while objects are tracked every heap-stats
 * push gives them ids, so a compaction afterwards loses or misplaces their records
 * (docs/v8-facts.md). Best effort: a process where it cannot be set keeps its flags. True when
 * the process answered (whether or not it could set them), false when the request got no answer.
 */
export async function holdObjectsInPlace(client: CdpClient, on: boolean): Promise<boolean> {
  return client
    .call('Runtime.evaluate', {
      expression: `(globalThis.process?.getBuiltinModule?.('v8') ?? require('v8')).setFlagsFromString('${on ? '--no-compact' : '--compact'}')`,
      includeCommandLineAPI: true,
      silent: true,
      returnByValue: true,
    })
    .then(
      () => true,
      () => false,
    );
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
): Promise<{ seq: number; value: unknown }> {
  let timedOut = false;
  let seq = -1;
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
      {
        timeoutMs,
        onAnswer: (at) => {
          seq = at;
          unitAnswered(client, at);
        },
      },
    );
    if (res.exceptionDetails)
      throw new InspectorError('SCENARIO_THREW', `${what} threw: ${thrownText(res.exceptionDetails)}`);
    return { seq, value: res.result.value };
  } catch (e) {
    if (e instanceof InspectorError && e.code === 'TIMEOUT') {
      // Still running: it would not answer a release either (the caller ends or drops it).
      timedOut = true;
      throw new InspectorError('TIMEOUT', `${what} did not finish within ${timeoutMs} ms`, { cause: e });
    }
    throw e;
  } finally {
    // Not awaited: with allocation tracking on, every answer waits for V8's heap-stats push in
    // progress (most of a second on a big heap), and the next command queues behind this one anyway.
    if (!client.isClosed && !timedOut)
      void client.send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }
}

/** A unit evaluated with the snapshot after it threw: the scenario's error, or the snapshot's. */
function unitThrew(d: Protocol.Runtime.ExceptionDetails): InspectorError {
  return d.exception?.description?.startsWith(SNAPSHOT_WRITE_ERROR)
    ? new InspectorError(
        'PROTOCOL',
        `the debuggee could not write its heap snapshot: ${d.exception.description}`,
      )
    : new InspectorError('SCENARIO_THREW', `the scenario action threw: ${thrownText(d)}`);
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
