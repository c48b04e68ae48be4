// The leak hunt: repeat one unit of work, and keep what was born in (nearly) every
// iteration and is still alive. One full snapshot only, at the end: while V8 tracks heap
// objects, its heap-stats pushes hand out object ids from one increasing counter, so the
// highest id after each iteration (a "mark", src/inspector/snapshot.ts markObjectIds) tells,
// from the final snapshot alone, in which iteration every surviving object was born
// (docs/v8-facts.md). The marks' heap-stats fragments also say whether earlier iterations'
// objects are being freed (growth.ts). The final snapshot is taken while tracking is still on
// (by the debuggee itself into a pipe when it runs here, target.ts), then tracking is switched
// off, as it is on every other way out too. Units that make no async resource skip the marks:
// all iterations run in one evaluation, each in its own frame, and the allocation traces say
// which iteration made each object (framed.ts, src/core/leaks/births.ts).

import type { HuntTarget } from '../inspector/target';
import { abortError } from '../inspector/errors';
import type { SnapshotProgress, TakeSnapshotOptions } from '../inspector/snapshot';
import type { ObjectMark } from '../inspector/marks';
import type { UnitDone } from '../inspector/target';
import type { HeapSnapshot } from '../core/snapshot';
import { DEFAULTS } from '../contracts/defaults';
import { HeapAnalysis } from '../core/graph/analysis';
import { BirthMarks, detectLeaks, huntDistances, LeakCandidateGroup } from '../core/leaks/detect';
import { keptFramed, keptLeaks } from './growth';
import { FrameBirths, frameBirths } from '../core/leaks/births';
import { grownContainers } from '../core/leaks/containers';
import { FinalAnalysis } from './finalAnalysis';
import { estimatedObjects, framedRun } from './framed';

export interface HuntOptions {
  iterations?: number;
  warmup?: number;
  trackAllocations?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: HuntProgress) => void;
  /** Awaited before each iteration: a paused hunt (a debug session's Pause) waits here. */
  gate?: () => Promise<void>;
}

export interface HuntProgress {
  step: 'setup' | 'warmup' | 'iteration' | 'snapshot' | 'analysis';
  iteration?: number;
  iterations: number;
  /** During the snapshot: V8's own progress (objects serialised of the total). */
  snapshot?: SnapshotProgress;
}

export interface HuntResult {
  leaks: LeakCandidateGroup[];
  analysis: HeapAnalysis;
  /** Distances that skip the harness object: the ones paths are drawn along. */
  distance: Int32Array;
  marks: BirthMarks;
  iterations: number;
}

/** What the births are read from: the marks (and the ids they bound), or a framed run's traces. */
interface Evidence {
  snapshot: HeapSnapshot;
  /** The highest id older than the hunt. */
  startId: number;
  start?: ObjectMark;
  ends?: ObjectMark[];
  births?: FrameBirths;
}

export async function hunt(target: HuntTarget, options: HuntOptions = {}): Promise<HuntResult> {
  const N = options.iterations ?? DEFAULTS.iterations;
  const warmup = options.warmup ?? DEFAULTS.warmup;
  if (!Number.isInteger(N) || N < 2) throw new Error('a hunt needs at least 2 iterations');
  const { signal } = options;
  const report = (p: Omit<HuntProgress, 'iterations'>): void => options.onProgress?.({ ...p, iterations: N });
  const check = (): void => {
    if (signal?.aborted) throw abortError(signal, 'the hunt');
  };
  // Tracking is on from its start until the final snapshot is taken, and ended on every way out.
  const state = { tracking: false };
  const final = new FinalAnalysis();
  try {
    report({ step: 'setup' });
    await target.runSetup();
    report({ step: 'warmup' });
    if (warmup > 0) await target.runWarmup(warmup);
    check();
    // The containers and their counts, before the start mark so the note is older than every
    // iteration (containerNote.ts; after the warm-up, which fills the containers it creates),
    // and before tracking: while objects are tracked every command waits for V8's heap walk
    // in progress, and the note takes about ten of them (0.7 s each on a 100 MB heap).
    await target.noteContainers();
    await target.countNotedContainers();
    // Tracking only now: what setup and the warm-up made is older than the start mark either
    // way, and while objects are tracked V8 walks the heap between any two of our commands.
    // Object tracking is needed for the marks even without allocation stacks.
    const allocations = options.trackAllocations ?? DEFAULTS.trackAllocations;
    // A framed run needs the allocation traces, and runs every unit at once: no gate between them.
    const framing = allocations && !options.gate && target.runFramed !== undefined;
    const heapObjects = framing ? await estimatedObjects(target) : 0;
    state.tracking = true;
    const snapshotOptions = {
      signal,
      onProgress: (p: SnapshotProgress) => report({ step: 'snapshot', snapshot: p }),
    };
    // Sent behind tracking's start without waiting for its answer: the inspector runs the two
    // commands back to back, before V8's heap-stats timer can start a push (most of a second on
    // a big heap) between them. A framed run needs no start mark (births.ts).
    const running: { framed?: Promise<HeapSnapshot | null> } = {};
    const sendFramed = (): void => {
      running.framed = framedRun(target, N, report, snapshotOptions, state, final, heapObjects);
      running.framed.catch(() => undefined);
    };
    await target.startTracking(allocations, framing ? sendFramed : undefined);
    const framed = running.framed ? await running.framed : null;
    const births = framed && frameBirths(framed, N);
    let evidence: Evidence;
    if (framed && births) evidence = { snapshot: framed, births, startId: births.startMaxId };
    else {
      const run = await iterate(target, N, check, options, report, snapshotOptions, state, final);
      const [start, ...ends] = run.marks;
      let snapshot = run.snapshot;
      if (!snapshot) {
        check();
        report({
          step: 'snapshot',
          snapshot: { stage: 'walking', done: 0, total: 0, finished: false, elapsedMs: 0 },
        });
        const parser = final.parser(start.liveCount);
        await target.takeFinalSnapshot(parser, snapshotOptions);
        state.tracking = false;
        snapshot = parser.end();
      }
      evidence = { snapshot, start, ends, startId: start.id };
    }
    report({ step: 'analysis' });
    const analysis = await final.analyse(evidence.snapshot);
    const distance = huntDistances(analysis);
    const startId = evidence.startId;
    // The last iteration ends at the snapshot: it has every id above the last mark.
    const ends = evidence.ends?.map((m) => m.id) ?? [];
    const marks: BirthMarks = { start: startId, ends: [...ends, Number.MAX_SAFE_INTEGER] };
    const fb = evidence.births;
    const found = detectLeaks(
      { maxId: startId },
      fb
        ? Array.from({ length: N }, () => ({ maxId: Number.MAX_SAFE_INTEGER }))
        : marks.ends.map((maxId) => ({ maxId })),
      analysis,
      { distance, birthOf: fb ? (m) => fb.births[m] : undefined },
    );
    const kept = fb
      ? keptFramed(found, analysis.snapshot, fb, N)
      : keptLeaks(found, evidence.start!, evidence.ends!);
    // Containers of numbers grow with no object born per iteration: their counts at the start
    // (noted before tracking) and now say it (src/core/leaks/containers.ts).
    const onPaths = new Set(kept.flatMap((g) => g.path.nodes));
    const grown = grownContainers(analysis, await target.readContainerNote(), distance, startId, N)
      // A container a found leak's path runs through is that leak's holder, not another leak.
      .filter((g) => !onPaths.has(g.members[0]));
    const leaks = [...kept, ...grown].sort((x, y) => y.growthPerIteration - x.growthPerIteration);
    return { leaks, analysis, distance, marks, iterations: N };
  } finally {
    void final.close();
    // Cancelled: the target's dispose ends tracking without waiting behind V8 (attach.ts).
    if (state.tracking && !signal?.aborted) await target.stopTracking().catch(() => undefined);
  }
}

/**
 * N iterations and N marks: the start mark (the first push after tracking started) and one after
 * each iteration but the last, which the snapshot follows directly (what is newer than the last
 * mark was born in the last iteration). A mark costs one heap-stats push, and while objects are
 * tracked V8 runs those back to back, so each of our commands also waits for the push in
 * progress. After a synchronous unit (harness iterate; tracking's start) the next iteration is
 * therefore sent at once, without waiting for the mark: it normally queues behind the very push
 * that marks the unit before it. When it ran before that push instead (the race is lost, or it
 * yielded to the event loop), the two cannot be told apart and count as one, one more runs, and
 * the rest wait for their marks.
 *
 * Where the target can (runLastIteration), the last iteration and the snapshot are one
 * evaluation, so the push V8 would start between them is not waited for. Sent at once like the
 * others, it is the last only if the race for the mark before it is won: the snapshot is then
 * written only if the unit was synchronous, and kept only if that mark came first; otherwise it
 * is dropped and the loop goes on as after any lost race (one more iteration, one more snapshot).
 */
async function iterate(
  target: HuntTarget,
  N: number,
  check: () => void,
  options: HuntOptions,
  report: (p: Omit<HuntProgress, 'iterations'>) => void,
  snapshotOptions: TakeSnapshotOptions,
  state: { tracking: boolean },
  final: FinalAnalysis,
): Promise<{ marks: ObjectMark[]; snapshot: HeapSnapshot | null }> {
  const marks: ObjectMark[] = [];
  const markNow = (): Promise<ObjectMark> => {
    // Taken at once, so it is the first push after the answer just received (marks.ts).
    const m = target.markObjectIds(options.signal);
    // Awaited on the next turn; an iteration failing first must not leave it unhandled.
    m.catch(() => undefined);
    return m;
  };
  let pending: Promise<ObjectMark> | undefined = markNow();
  let pipelined = true;
  for (let run = 1; ; run++) {
    if (!pipelined && pending !== undefined) {
      marks.push(await pending);
      pending = undefined;
    }
    await options.gate?.();
    check();
    report({ step: 'iteration', iteration: Math.min(run, N) });
    const speculative = pending !== undefined;
    const last = marks.length + (speculative ? 1 : 0) === N;
    const ended = last ? await lastIteration(target, pending, snapshotOptions, state, final, marks) : null;
    const unit = ended ?? (await target.runIteration());
    if (pending !== undefined) {
      const previous = await pending;
      // That push came before this iteration's answer, and this iteration never yielded: it came
      // before this iteration ran.
      if (unit.synchronous && previous.seq < unit.seq) marks.push(previous);
      // A lost race costs an iteration: on a machine quick enough to lose it, wait instead.
      else pipelined = false;
    }
    // A speculative last iteration whose race was lost goes on from here, its snapshot dropped.
    if (marks.length === N) return { marks, snapshot: ended?.snapshot ?? null };
    pending = markNow();
    if (!unit.synchronous) pipelined = false;
  }
}

/**
 * The last iteration with its snapshot (target.runLastIteration), or null when the target takes
 * them apart. With a mark still on its way (`pending`), the snapshot is speculative (iterate).
 * Tracking is ended as soon as the snapshot is known to be the final one: when V8's first byte
 * arrives after that mark (a push made before the unit's turn), or at once for a certain one, so
 * V8 stops walking the heap while we analyse. A command sent while V8 writes runs right after.
 */
async function lastIteration(
  target: HuntTarget,
  pending: Promise<ObjectMark> | undefined,
  snapshotOptions: TakeSnapshotOptions,
  state: { tracking: boolean },
  final: FinalAnalysis,
  marks: readonly ObjectMark[],
): Promise<(UnitDone & { snapshot: HeapSnapshot | null }) | null> {
  if (!target.runLastIteration) return null;
  let markIn = false;
  void pending?.then(
    () => (markIn = true),
    () => undefined,
  );
  const endTracking = (): void => {
    if (!state.tracking) return;
    state.tracking = false;
    void target.endTracking().catch(() => undefined);
  };
  // The start mark is in: N ≥ 2, so this is the second iteration at the earliest.
  const parser = final.parser(marks[0]?.liveCount ?? 0);
  const unit = await target.runLastIteration(parser, {
    ...snapshotOptions,
    onlyIfSynchronous: pending !== undefined,
    onFirstByte: () => {
      if (pending === undefined || markIn) endTracking();
    },
  });
  if (!unit) return null;
  if (!unit.snapshot) return { ...unit, snapshot: null };
  const previous = pending && (await pending.catch(() => undefined));
  const kept = !previous || previous.seq < unit.seq;
  if (kept) endTracking();
  return { ...unit, snapshot: kept ? parser.end() : null };
}
