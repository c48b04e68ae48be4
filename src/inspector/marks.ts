// Id marks: the highest heap object id V8 has handed out at a point of the hunt, with how many
// objects (and bytes) were alive then, both read from V8's heap-stats pushes
// (docs/v8-facts.md).
//
// While heap objects are tracked, V8's inspector pushes `heapStatsUpdate` then
// `lastSeenObjectId` on a timer of the debuggee's event loop. Each push collects garbage, gives
// every live object without an id the next ids of one increasing counter, and reports, for each
// earlier push's id range (a "fragment"), how many of its objects are still alive and their
// size, sending only the fragments that changed. The sum over the fragments is the live heap.
// A push is a full GC plus a heap walk: on a 100 MB heap it takes most of a second, and the
// pushes run back to back, so a mark costs one push and every CDP command waits for the push in
// progress. A mark therefore never asks for anything it does not need: after a unit of work
// evaluated over CDP it takes the first push that arrived after that evaluation's answer (the
// inspector sends answers and events in the order it made them).

import type { CdpClient } from './cdp';
import { InspectorError, abortError } from './errors';
import { DEFAULTS } from '../contracts/defaults';

/** One heap-stats push: the last id handed out, and the live heap then. */
export interface ObjectMark {
  id: number;
  liveCount: number;
  liveSize: number;
  /** This push's fragment: the ids it handed out are fragment `fragment`'s. */
  fragment: number;
  /**
   * Live objects per fragment at this push (index = fragment), or null when the fragments
   * cannot be told apart (tracking was already on before we watched: V8's numbering is not ours).
   */
  fragmentCounts: number[] | null;
  /** Its place in the client's message order (CdpClient.messagesReceived). */
  seq: number;
}

type Push = ObjectMark;

interface MarkChannel {
  counts: number[];
  sizes: number[];
  /** Pushes since watchHeapStats (each opens the next fragment). */
  pushCount: number;
  /** A fragment index beyond the pushes we saw: the numbering is not ours. */
  foreign: boolean;
  /** The latest pushes, oldest first (a few: a mark needs the first after a given answer). */
  pushes: Push[];
  waiters: (() => void)[];
  /** Where in the message order the last unit of work evaluated over CDP was answered. */
  unitSeq: number;
}

const KEPT_PUSHES = 16;
/** Without a push for this long, ask whether the program is paused (ms). */
const PAUSE_PROBE_MS = 3000;
const channels = new WeakMap<CdpClient, MarkChannel>();

function channel(client: CdpClient): MarkChannel {
  let ch = channels.get(client);
  if (ch) return ch;
  const c: MarkChannel = {
    counts: [],
    sizes: [],
    pushCount: 0,
    foreign: false,
    pushes: [],
    waiters: [],
    unitSeq: -1,
  };
  channels.set(client, c);
  client.on('HeapProfiler.heapStatsUpdate', ({ statsUpdate }) => {
    for (let i = 0; i + 2 < statsUpdate.length; i += 3) {
      if (statsUpdate[i] > c.pushCount) c.foreign = true;
      c.counts[statsUpdate[i]] = statsUpdate[i + 1];
      c.sizes[statsUpdate[i]] = statsUpdate[i + 2];
    }
  });
  client.on('HeapProfiler.lastSeenObjectId', ({ lastSeenObjectId }) => {
    let liveCount = 0;
    let liveSize = 0;
    for (let i = 0; i < c.counts.length; i++) {
      liveCount += c.counts[i] ?? 0;
      liveSize += c.sizes[i] ?? 0;
    }
    const fragment = c.pushCount++;
    const fragmentCounts = c.foreign
      ? null
      : Array.from({ length: fragment + 1 }, (_, i) => c.counts[i] ?? 0);
    c.pushes.push({
      id: lastSeenObjectId,
      liveCount,
      liveSize,
      fragment,
      fragmentCounts,
      seq: client.messagesReceived,
    });
    if (c.pushes.length > KEPT_PUSHES) c.pushes.shift();
    const waiting = c.waiters;
    c.waiters = [];
    for (const w of waiting) w();
  });
  return c;
}

/**
 * Listen for pushes from the start: a fragment's count is sent only when it changes, so a
 * listener that missed the first pushes could never add up the live heap. Called when
 * tracking starts (V8 starts its fragments afresh then).
 */
export function watchHeapStats(client: CdpClient): void {
  const ch = channel(client);
  ch.counts = [];
  ch.sizes = [];
  ch.pushCount = 0;
  ch.foreign = false;
  ch.pushes = [];
}

/** A unit of work evaluated over CDP was answered at `seq` (CdpClient.messagesReceived). */
export function unitAnswered(client: CdpClient, seq: number): void {
  channel(client).unitSeq = seq;
}

export interface MarkOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * The unit of work just done was the last CDP evaluation (not an HTTP request on another
   * socket, not the person's own exercise in a live hunt): the first push after its answer is
   * the mark, with no round trip of our own.
   */
  afterUnit?: boolean;
}

/**
 * The mark after whatever was done before this call: the first heap-stats push made after it.
 * Rejects with TIMEOUT when no push comes (a program paused at a breakpoint makes none).
 */
export async function markObjectIds(client: CdpClient, options: MarkOptions = {}): Promise<ObjectMark> {
  const ch = channel(client);
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.snapshotIdleTimeoutMs;
  let after = ch.unitSeq;
  if (!options.afterUnit || after < 0) {
    // The unit of work may have been an HTTP request on another socket, and a push V8 made
    // before the request was handled can still be on its way to us. Whatever arrives after
    // this answer was made after it, so after the request too.
    await client.call('HeapProfiler.enable', undefined, {
      signal,
      onAnswer: (seq) => {
        after = seq;
      },
    });
  }
  const found = (): Push | undefined => ch.pushes.find((p) => p.seq > after);
  const ready = found();
  if (ready) return strip(ready);
  return new Promise<ObjectMark>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, 'marking the heap'));
    const done = (fn: () => void): void => {
      clearTimeout(timer);
      clearTimeout(probe);
      signal?.removeEventListener('abort', onAbort);
      offClose();
      ch.waiters = ch.waiters.filter((w) => w !== waiter);
      fn();
    };
    const waiter = (): void => {
      const p = found();
      if (p) done(() => resolve(strip(p)));
      else ch.waiters.push(waiter);
    };
    const onAbort = (): void => done(() => reject(abortError(signal!, 'marking the heap')));
    const fail = (why: string): void =>
      done(() =>
        reject(
          new InspectorError(
            'TIMEOUT',
            `V8 sent no heap statistics ${why}: it sends them only while the program's event loop runs ` +
              `(is it paused at a breakpoint, or busy in a long task?). Resume it and mark again.`,
          ),
        ),
      );
    const timer = setTimeout(() => fail(`for ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    // Fail fast when the program is paused: the probe is answered there (the inspector runs its
    // own message loop while paused), while a running program answers it only after the push
    // in progress, which then arrives first. So an answer with still no push means no push is coming.
    // Only for marks after the program's own work: a scripted hunt never lets it pause, and its
    // next unit of work may be running (hunt.ts sends it before the mark arrives).
    const probe = setTimeout(() => {
      if (options.afterUnit) return;
      client
        .call('Runtime.evaluate', { expression: '0', returnByValue: true, silent: true }, { signal })
        .then(() => {
          if (!found()) fail('while the program was paused or busy');
        })
        .catch(() => undefined);
    }, PAUSE_PROBE_MS);
    const offClose = client.onClose((e) => done(() => reject(e)));
    signal?.addEventListener('abort', onAbort, { once: true });
    ch.waiters.push(waiter);
  });
}

function strip(p: Push): ObjectMark {
  return { ...p };
}
