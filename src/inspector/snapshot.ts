// Heap snapshots and allocation tracking over CDP.
//
// V8 delivers a snapshot as `HeapProfiler.addHeapSnapshotChunk` events, all of them
// before the answer to the command that caused it. Two commands cause one:
// takeHeapSnapshot and (a V8 fact easy to miss) stopTrackingHeapObjects, which streams
// a complete further snapshot. Chunk events carry no request id, so we serialize heap
// operations per client and route chunks only to the sink of the operation in flight;
// a stray chunk can never run into a previous snapshot's sink.

import type { CdpClient } from './cdp';
import { InspectorError, abortError } from './errors';
import { DEFAULTS } from '../contracts/defaults';
import { unitAnswered, watchHeapStats } from './marks';
import { ProgressMeter, SnapshotProgress } from './snapshotProgress';

/** The streaming parser implements this; chunks arrive in order, never joined. */
export interface SnapshotSink {
  write(chunk: string): void;
}

/** A sink that also takes bytes (the streaming parser): a snapshot read from a pipe comes as bytes. */
export interface ByteSnapshotSink {
  write(chunk: string | Uint8Array): void;
}

export type { SnapshotProgress } from './snapshotProgress';

export interface TakeSnapshotOptions {
  onProgress?: (p: SnapshotProgress) => void;
  signal?: AbortSignal;
  /** Fail if no chunk or progress event arrives for this long (ms). The whole snapshot may take much longer. */
  idleTimeoutMs?: number;
  /** Run HeapProfiler.collectGarbage first (default true): a leak hunt compares live objects only. */
  collectGarbage?: boolean;
  /** Include numeric values (default false, as DevTools). */
  captureNumericValue?: boolean;
}

export const DEFAULT_SNAPSHOT_IDLE_TIMEOUT_MS = DEFAULTS.snapshotIdleTimeoutMs;

/** Sink that drops everything; for the snapshot stopTrackingHeapObjects insists on sending. */
export const discardSink: SnapshotSink = { write: () => undefined };

interface HeapChannel {
  /** Tail of the queue of heap operations on this client. */
  queue: Promise<void>;
  /** Where chunks go right now; discardSink between operations. */
  sink: SnapshotSink;
  onActivity: (() => void) | undefined;
  tracking: boolean;
  /** Settles when V8 has answered the last chunk-producing command (see streamInto). */
  hold: Promise<void>;
}

const noop = (): void => undefined;

const channels = new WeakMap<CdpClient, HeapChannel>();

function channel(client: CdpClient): HeapChannel {
  let ch = channels.get(client);
  if (!ch) {
    const c: HeapChannel = {
      queue: Promise.resolve(),
      sink: discardSink,
      onActivity: undefined,
      tracking: false,
      hold: Promise.resolve(),
    };
    ch = c;
    channels.set(client, c);
    client.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => {
      c.onActivity?.();
      c.sink.write(chunk);
    });
    client.on('HeapProfiler.reportHeapSnapshotProgress', () => c.onActivity?.());
  }
  return ch;
}

/** Run `op` after every earlier heap operation on this client has fully finished. */
function exclusive<T>(client: CdpClient, op: (ch: HeapChannel) => Promise<T>): Promise<T> {
  const ch = channel(client);
  const run = ch.queue.then(() => op(ch));
  // The next operation also waits for `hold`, read only once this one has settled: an
  // operation that gave up early (cancel, idle timeout) leaves V8 still streaming.
  ch.queue = run.then(noop, noop).then(() => ch.hold);
  return run;
}

/** Whether this module believes allocation tracking is on for `client`. */
export function isTracking(client: CdpClient): boolean {
  return channels.get(client)?.tracking ?? false;
}

/**
 * Collect garbage, then stream one heap snapshot into `sink`.
 *
 * Cancelling rejects at once with CANCELLED; V8 cannot stop a snapshot midway, so the
 * rest of its chunks are discarded and the next heap operation waits for V8 to finish.
 */
export function takeSnapshot(
  client: CdpClient,
  sink: SnapshotSink,
  options: TakeSnapshotOptions = {},
): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal, 'the heap snapshot'));
  return exclusive(client, async (ch) => {
    if (signal?.aborted) throw abortError(signal, 'the heap snapshot');
    await client.call('HeapProfiler.enable', undefined, { signal });
    if (options.collectGarbage !== false) {
      await client.call('HeapProfiler.collectGarbage', undefined, { signal });
    }
    await streamInto(client, ch, sink, options, (opts) =>
      client.call(
        'HeapProfiler.takeHeapSnapshot',
        { reportProgress: true, captureNumericValue: options.captureNumericValue ?? false },
        opts,
      ),
    );
  });
}

/**
 * Route chunks to `sink` while `command` runs. Resolves when V8 has answered (so every
 * chunk has arrived); rejects early on sink failure, idle timeout, or cancel, in which
 * case the command keeps the channel until V8 answers and its chunks go nowhere.
 */
function streamInto(
  client: CdpClient,
  ch: HeapChannel,
  sink: SnapshotSink,
  options: TakeSnapshotOptions,
  command: (opts: { timeoutMs: number }) => Promise<unknown>,
): Promise<void> {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_SNAPSHOT_IDLE_TIMEOUT_MS;
  const { signal, onProgress } = options;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(
        () => fail(new InspectorError('TIMEOUT', `the heap snapshot made no progress for ${idleMs} ms`)),
        idleMs,
      );
    };
    // V8 reports the walk; the writing is counted as it arrives.
    const meter = new ProgressMeter(onProgress);
    const offProgress = onProgress
      ? client.on('HeapProfiler.reportHeapSnapshotProgress', (p) => meter.walked(p.done, p.total))
      : undefined;
    const onAbort = () => fail(abortError(signal!, 'the heap snapshot'));
    const cleanup = () => {
      settled = true;
      if (idle) clearTimeout(idle);
      offProgress?.();
      signal?.removeEventListener('abort', onAbort);
      ch.sink = discardSink;
      ch.onActivity = undefined;
    };
    const fail = (err: Error) => {
      if (settled) return;
      cleanup();
      reject(err);
    };
    ch.sink = {
      write(chunk) {
        if (settled) return;
        try {
          sink.write(chunk);
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        meter.received(chunk);
      },
    };
    ch.onActivity = armIdle;
    signal?.addEventListener('abort', onAbort, { once: true });
    armIdle();
    // No request timeout: the idle watchdog above bounds a stalled snapshot, and a
    // healthy multi-GB one legitimately takes minutes.
    const done = command({ timeoutMs: Infinity });
    done.then(
      () => {
        if (settled) return;
        cleanup();
        meter.finished();
        resolve();
      },
      (e: Error) => fail(e),
    );
    // Hold the channel until V8 has answered even if we rejected early: its remaining
    // chunks must land in discardSink, not in the next operation's sink.
    ch.hold = done.then(noop, noop);
  });
}

/**
 * Start tracking heap objects (so V8 pushes heap statistics and keeps object ids through
 * moves) and, with `trackAllocations` (the default), recording allocation stacks (they then
 * appear in snapshots as trace_function_infos / trace_tree).
 */
export function startTracking(
  client: CdpClient,
  options: { signal?: AbortSignal; trackAllocations?: boolean; onSent?: () => void } = {},
): Promise<void> {
  return exclusive(client, async (ch) => {
    await client.call('HeapProfiler.enable', undefined, options);
    // Mark before sending: if the answer is lost (timeout, cancel) tracking may well be
    // on, and stopTracking must still try.
    ch.tracking = true;
    watchHeapStats(client);
    // Its answer counts as a unit of work for the marks (marks.ts): the first push after it is
    // the start mark, so the hunt's first iteration need not wait for it.
    const started = client.call(
      'HeapProfiler.startTrackingHeapObjects',
      { trackAllocations: options.trackAllocations ?? true },
      { signal: options.signal, onAnswer: (seq) => unitAnswered(client, seq) },
    );
    // A command sent from here runs right after tracking's start (the inspector runs the
    // commands it has in order, before the event loop's timers: hunt.ts framed runs).
    options.onSent?.();
    await started;
  });
}

export interface StopTrackingOptions extends Omit<TakeSnapshotOptions, 'collectGarbage'> {
  /**
   * V8 streams a full snapshot when tracking stops. By default it is discarded (and
   * taken without progress events); pass a sink to keep it as the hunt's last snapshot.
   */
  sink?: SnapshotSink;
}

/**
 * Stop allocation tracking. Safe to call when tracking is off (no-op unless `force`),
 * and meant for every exit path, so it must not be cancellable halfway: the signal only
 * abandons waiting for the discarded snapshot, never the stop itself.
 */
export function stopTracking(
  client: CdpClient,
  options: StopTrackingOptions & { force?: boolean } = {},
): Promise<void> {
  return exclusive(client, async (ch) => {
    if (!ch.tracking && !options.force) return;
    if (client.isClosed) {
      // V8 stops tracking by itself when the session that started it disconnects.
      ch.tracking = false;
      return;
    }
    const keep = options.sink;
    await streamInto(
      client,
      ch,
      keep ?? discardSink,
      keep ? options : { ...options, onProgress: undefined },
      (opts) =>
        client.call(
          'HeapProfiler.stopTrackingHeapObjects',
          {
            reportProgress: !!keep && !!options.onProgress,
            captureNumericValue: options.captureNumericValue ?? false,
          },
          opts,
        ),
    ).finally(() => {
      ch.tracking = false;
    });
  });
}

/**
 * Stop tracking without the snapshot stopTrackingHeapObjects would stream: HeapProfiler.disable
 * stops it (and forgets the object ids, which only the snapshot already taken needed), then
 * enable again so the session keeps receiving heap events. For the end of a hunt whose one
 * snapshot was taken while tracking was still on.
 */
export function endTracking(client: CdpClient): Promise<void> {
  return exclusive(client, async (ch) => {
    try {
      if (!client.isClosed) {
        await client.call('HeapProfiler.disable', undefined);
        await client.call('HeapProfiler.enable', undefined);
      }
    } finally {
      ch.tracking = false;
    }
  });
}

/** Run `fn` with allocation tracking on; tracking is stopped on every way out. */
export async function withAllocationTracking<T>(
  client: CdpClient,
  fn: () => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  await startTracking(client, options).catch(async (e: unknown) => {
    await stopTracking(client).catch(() => undefined);
    throw e;
  });
  try {
    return await fn();
  } finally {
    await stopTracking(client).catch(() => undefined);
  }
}
