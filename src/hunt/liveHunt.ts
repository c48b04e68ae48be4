// A hunt in a program that is already running (a debug session): a start mark now (the last
// object id V8 handed out, read from allocation tracking's heap-stats push), the person exercises
// the program (or a configured workload repeats), and a mark each time they ask. After three
// marks, one snapshot and the same analysis as the scripted hunt: the marks tell in which
// interval every surviving object was born. Allocation tracking stays on between marks and is
// switched off on every way out.
//
// Also "why is this alive?": an expression (a variable of the paused program) resolved to
// its heap object id, a snapshot, and the retainer graph of that object.

import { CdpClient } from '../inspector/cdp';
import {
  holdObjectsInPlace,
  prepareDebuggee,
  takeFinalSnapshot,
  takeProgramSnapshot,
} from '../inspector/target';
import type { SnapshotProgress } from '../inspector/snapshot';
import { ScriptRegistry } from '../inspector/scripts';
import * as heap from '../inspector/snapshot';
import { markObjectIds, ObjectMark } from '../inspector/marks';
import { InspectorError, isInspectorError } from '../inspector/errors';
import { disconnect } from '../inspector/connect';
import { FinalAnalysis } from './finalAnalysis';
import { keptLeaks } from './growth';
import { SnapshotParser } from '../core/parser';
import { HeapSnapshot } from '../core/snapshot';
import { analyzeParallel } from '../core/graph/parallel';
import { digestSnapshot, SnapshotDigest } from '../core/leaks/digest';
import { detectLeaks, huntDistances } from '../core/leaks/detect';
import { AnalysedSnapshot } from '../core/analysedSnapshot';
import { reportHunt } from './pipeline';
import { SiteResolver } from './sites';
import type { HuntOutcome } from '../contracts/hunt';
import type { ClassRow } from '../contracts/webview';
import { RemoteError } from '../contracts/errors';
import { DEFAULTS } from '../contracts/defaults';

export const MIN_LIVE_SNAPSHOTS = DEFAULTS.minLiveSnapshots;

/**
 * `collectGarbage: false` for a paused program: V8 runs HeapProfiler.collectGarbage as a task
 * that never runs while paused (takeHeapSnapshot collects garbage itself anyway).
 */
async function streamSnapshot(
  client: CdpClient,
  signal?: AbortSignal,
  collectGarbage = true,
): Promise<HeapSnapshot> {
  const parser = new SnapshotParser();
  await takeProgramSnapshot(client, parser, { signal, collectGarbage });
  return parser.end();
}

export class LiveHunt {
  private readonly scripts = new ScriptRegistry();
  /** The id marks (snapshot.ts markObjectIds): at the start, then one each time the person asks. */
  private startMark: ObjectMark | null = null;
  private readonly ends: ObjectMark[] = [];
  #tracking = false;
  /** Compaction is off in the program because of us (a process-wide flag: it outlives our session). */
  #holding = false;
  /** Turning compaction back on, once sent (stop() waits for it). */
  #releasing: Promise<void> | undefined;
  #stopped = false;
  analysed: AnalysedSnapshot | null = null;

  /** `reconnect`: a new session to the same program, to turn compaction back on if this one drops. */
  constructor(
    private readonly client: CdpClient,
    private readonly trackAllocations = true,
    private readonly reconnect?: () => Promise<CdpClient>,
  ) {
    client.onClose(() => void this.letObjectsMove());
  }

  /** Subscribes, starts object tracking (allocation stacks too, unless turned off) and takes the start mark. */
  async start(signal?: AbortSignal): Promise<void> {
    await prepareDebuggee(this.client, this.scripts);
    try {
      // Stopped (cancelled) while the above ran: compaction must not go off after the stop.
      if (this.#stopped) throw new InspectorError('CANCELLED', 'the live hunt was stopped');
      this.#tracking = true;
      this.#holding = true; // before the answer: a lost answer may still have turned it off
      await holdObjectsInPlace(this.client, true);
      await heap.startTracking(this.client, { signal, trackAllocations: this.trackAllocations });
      this.startMark = await markObjectIds(this.client, { signal });
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /**
   * Marks the end of one stretch of exercise: the same economy as the scripted hunt, an id mark
   * instead of a snapshot (one heap-stats push, not a serialised heap). Returns the marks so far
   * after the start.
   */
  async snapshot(signal?: AbortSignal): Promise<number> {
    if (this.startMark === null) throw new RemoteError('no-live-hunt', 'the live hunt has not started');
    try {
      this.ends.push(await markObjectIds(this.client, { signal }));
      return this.ends.length;
    } catch (e) {
      // A paused program sends no heap statistics: say so, and keep the hunt for a mark
      // once it runs again (marks.ts fails fast there). Anything else ends the hunt.
      if (!(isInspectorError(e, 'TIMEOUT') && !this.client.isClosed)) await this.stop();
      throw e;
    }
  }

  get snapshotsTaken(): number {
    return this.ends.length;
  }

  /** The one full snapshot (which ends tracking), then what was born in every stretch and is still alive. */
  async finish(
    options: { signal?: AbortSignal; onProgress?: (p: SnapshotProgress) => void } = {},
  ): Promise<HuntOutcome> {
    if (this.startMark === null || this.ends.length < MIN_LIVE_SNAPSHOTS - 1) {
      throw new RemoteError(
        'too-few-snapshots',
        `take at least ${MIN_LIVE_SNAPSHOTS} snapshots (the start and ${MIN_LIVE_SNAPSHOTS - 1} more) before the analysis`,
      );
    }
    const final = new FinalAnalysis();
    let analysis;
    try {
      const parser = final.parser(this.startMark.liveCount);
      // The snapshot ends tracking on every way out (target.ts), a cancelled one too.
      this.#tracking = false;
      try {
        await takeFinalSnapshot(this.client, parser, options);
      } finally {
        // Cancelled: compaction is turned back on once V8 is free, without waiting for it here
        // (stop() waits, and the session closes only once it is answered: connect.ts disconnect).
        const restored = this.letObjectsMove();
        if (!options.signal?.aborted) await restored;
      }
      analysis = await final.analyse(parser.end());
    } finally {
      await final.close();
    }
    const distance = huntDistances(analysis);
    const ends = this.ends.map((m) => ({ maxId: m.id }));
    const found = detectLeaks({ maxId: this.startMark.id }, ends, analysis, {
      minIterations: Math.max(1, ends.length - 1),
      distance,
    });
    const leaks = keptLeaks(found, this.startMark, this.ends);
    const result = {
      leaks,
      analysis,
      distance,
      marks: { start: this.startMark.id, ends: this.ends.map((m) => m.id) },
      iterations: ends.length,
    };
    const { outcome, analysed } = await reportHunt(result, new SiteResolver(this.scripts));
    this.analysed = analysed;
    return outcome;
  }

  /** Whether objects are still tracked: the hunt has started and its snapshot was not attempted. */
  get tracking(): boolean {
    return this.#tracking;
  }

  /**
   * Tracking off (when the connection still stands); safe to call more than once. Not with
   * stopTrackingHeapObjects where we can help it: V8 would make a push and a whole snapshot for
   * nobody. HeapProfiler.disable ends it without one, except through js-debug's proxy, where the
   * HeapProfiler domain is the person's debug session's (target.ts takeFinalSnapshot).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#tracking) {
      this.#tracking = false;
      if (this.client.viaJsDebugProxy) await heap.stopTracking(this.client).catch(() => undefined);
      else if (!this.client.isClosed) await heap.endTracking(this.client).catch(() => undefined);
    }
    await this.letObjectsMove();
  }

  /**
   * Compaction back on, once: through our session, or a new one if ours is gone (the program may
   * still run: a dropped socket, a proxy that went away). Best effort: a program that is gone
   * has no flags to restore.
   */
  private letObjectsMove(): Promise<void> {
    if (!this.#holding) return this.#releasing ?? Promise.resolve();
    this.#holding = false;
    this.#releasing = (async () => {
      if (!this.client.isClosed && (await holdObjectsInPlace(this.client, false))) return;
      const fresh = await this.reconnect?.().catch(() => undefined);
      if (!fresh) return;
      try {
        await holdObjectsInPlace(fresh, false);
      } finally {
        await disconnect(fresh);
      }
    })();
    return this.#releasing;
  }
}

/**
 * The heap object behind `expression`, evaluated in the running program (in the paused
 * frame when `callFrameId` is given), then a snapshot of the heap around it.
 */
export async function whyIsThisAlive(
  client: CdpClient,
  expression: string,
  callFrameId?: string,
  afterResolve?: string,
): Promise<{ id: number; analysed: AnalysedSnapshot }> {
  const group = 'heaplens-why';
  try {
    const evaluated = callFrameId
      ? await client.send('Debugger.evaluateOnCallFrame', {
          callFrameId,
          expression,
          objectGroup: group,
          silent: true,
        })
      : await client.send('Runtime.evaluate', { expression, objectGroup: group, silent: true });
    if (evaluated.exceptionDetails)
      throw new RemoteError(
        'not-an-object',
        `"${expression}" threw: ${evaluated.exceptionDetails.exception?.description ?? evaluated.exceptionDetails.text}`,
      );
    const objectId = evaluated.result.objectId;
    if (!objectId)
      throw new RemoteError(
        'not-an-object',
        `"${expression}" is a ${evaluated.result.type}, not an object on the heap`,
      );
    // A caller that parked the object somewhere to reach it (a temporary global) removes it
    // here, so its own reference is not drawn as a reason the object is alive.
    if (afterResolve) await client.send('Runtime.evaluate', { expression: afterResolve, silent: true });
    // V8 hands out heap object ids when a snapshot first sees an object, so the id is asked
    // for after the snapshot. Our handle is then one more retainer, but only from a system
    // root: the paths drawn start from the program's own roots whenever it holds the object.
    const snapshot = await streamSnapshot(client, undefined, false);
    const { heapSnapshotObjectId } = await client.send('HeapProfiler.getHeapObjectId', { objectId });
    const id = Number(heapSnapshotObjectId);
    if (!id) throw new RemoteError('not-an-object', `V8 did not give "${expression}" a heap object id`);
    return { id, analysed: new AnalysedSnapshot(await analyzeParallel(snapshot)) };
  } finally {
    if (!client.isClosed)
      await client.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => undefined);
  }
}

/**
 * Classes by retained size in a snapshot taken now, with their growth since `previous`
 * (objgraph's show_growth). Returns the rows, the analysed snapshot and the digest for next time.
 */
export async function heapOverview(
  client: CdpClient,
  previous: SnapshotDigest | null,
): Promise<{ rows: ClassRow[]; analysed: AnalysedSnapshot; digest: SnapshotDigest }> {
  const snapshot = await streamSnapshot(client);
  const digest = digestSnapshot(snapshot);
  const analysed = new AnalysedSnapshot(await analyzeParallel(snapshot));
  const rows: ClassRow[] = analysed.summary(300).map((c) => ({
    name: c.name,
    count: c.count,
    selfSize: c.selfSize,
    retainedSize: c.retainedSize,
    largestId: c.largestId,
    ...(previous
      ? {
          countDelta: c.count - (previous.classCounts.get(c.name) ?? 0),
          sizeDelta: c.selfSize - (previous.classSizes.get(c.name) ?? 0),
        }
      : {}),
  }));
  return { rows, analysed, digest };
}
