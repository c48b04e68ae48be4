// The one hunt pipeline: open the target (a scenario we start, a program we start, a process
// we attach to), hunt, turn the result into the report, and leave nothing behind. The CLI
// calls it directly, the hunt worker (and so the extension and the debug adapter) through
// HuntApi.hunt.

import type { HuntOutcome, HuntSpec } from '../contracts/hunt';
import type { Progress } from '../contracts/rpc';
import { DEFAULTS } from '../contracts/defaults';
import { AnalysedSnapshot } from '../core/analysedSnapshot';
import { Debuggee, startDebuggee, StartDebuggeeOptions } from '../inspector/runner';
import { startProgram } from '../inspector/program';
import type { StrayProcess } from '../inspector/strays';
import { attach } from '../inspector/attach';
import type { HuntTarget } from '../inspector/target';
import type { SnapshotProgress } from '../inspector/snapshot';
import { hunt, HuntProgress, HuntResult } from './hunt';
import { buildLeakReport } from './report';
import { SiteResolver } from './sites';

export interface PipelineHooks {
  signal?: AbortSignal;
  /** The harness bundle that loads a scenario in the debuggee. */
  harnessPath: string;
  /** Awaited before each iteration (a debug analysed's Pause). */
  gate?: () => Promise<void>;
  onProgress?: (p: Progress) => void;
  /** What the hunted program prints. */
  onOutput?: (text: string) => void;
  /** After the hunt: processes the scenario had detached that were found and ended (Linux). */
  onStrays?: (strays: readonly StrayProcess[]) => void;
}

export interface HuntRun {
  outcome: HuntOutcome;
  /** The final snapshot, for questions about it (paths drawn skip the harness). */
  analysed: AnalysedSnapshot;
  iterations: number;
}

export async function openTarget(spec: HuntSpec, hooks: PipelineHooks): Promise<HuntTarget> {
  const t = spec.target;
  const { signal } = hooks;
  const iterationTimeoutMs = spec.actionTimeoutMs ?? DEFAULTS.iterationTimeoutMs;
  if (t.kind === 'attach')
    return attach({ host: t.host, port: t.port }, t.work, { signal, iterationTimeoutMs });
  const launch: StartDebuggeeOptions = {
    signal,
    nodePath: spec.nodePath,
    cwd: spec.cwd,
    harnessPath: hooks.harnessPath,
    iterationTimeoutMs,
    env: spec.env ? { ...process.env, ...spec.env } : undefined,
    // With inlining, V8 charges an allocation to the hot caller the allocating function was
    // inlined into; without it, allocation sites name the function that allocated.
    // --no-compact: V8 moves an object's allocation record with it only while the object has no
    // id yet, and while objects are tracked every heap-stats push (a full GC) gives them ids, so a
    // compaction afterwards loses or misplaces their records (docs/v8-facts.md).
    execArgv: ['--no-turbo-inlining', '--no-compact'],
    onOutput: hooks.onOutput && ((_stream, text) => hooks.onOutput!(text)),
  };
  if (t.kind === 'program') return startProgram(t.program, t.args, t.work, launch);
  return startDebuggee(t.scenario, launch);
}

/** A hunt's progress as a worker progress notice. */
export function huntProgress(p: HuntProgress): Progress {
  if (p.step === 'snapshot') return snapshotProgress(p.snapshot);
  return {
    phase: 'hunt',
    done: p.iteration ?? 0,
    total: p.iterations,
    message: p.step === 'iteration' ? `iteration ${p.iteration} of ${p.iterations}` : p.step,
  };
}

/**
 * The one snapshot's progress in words: V8 walking the heap (objects walked of the total over CDP,
 * the time spent where it reports nothing), then writing it (bytes received of the estimate).
 * `done`/`total` are the writing's only, so a bar counts one stage and never runs backwards.
 */
export function snapshotProgress(p: SnapshotProgress | undefined): Progress {
  if (!p || p.stage === 'walking') {
    const seconds = Math.floor((p?.elapsedMs ?? 0) / 1000);
    const walked =
      p && p.total > 0 ? ` ${Math.min(100, Math.floor((100 * p.done) / p.total))}%` : ` (${seconds} s)`;
    return { phase: 'snapshot', done: 0, total: 0, message: `snapshot: walking the heap${walked}` };
  }
  const pct = p.total > 0 ? Math.min(100, Math.floor((100 * p.done) / p.total)) : 0;
  return { phase: 'snapshot', done: p.done, total: p.total, message: `snapshot: writing ${pct}%` };
}

/** The report of a finished hunt, the ids its leaks' graphs start from, and the analysed to query. */
export async function reportHunt(
  result: HuntResult,
  sites: SiteResolver,
): Promise<{ outcome: HuntOutcome; analysed: AnalysedSnapshot }> {
  const report = await buildLeakReport(result, sites, DEFAULTS.maxLeaks);
  const targets = result.leaks
    .slice(0, report.leaks.length)
    .map((g) => result.analysis.snapshot.nodeId[g.members[0]]);
  return { outcome: { report, targets }, analysed: new AnalysedSnapshot(result.analysis, result.distance) };
}

export async function runHunt(spec: HuntSpec, hooks: PipelineHooks): Promise<HuntRun> {
  const target = await openTarget(spec, hooks);
  try {
    const result = await hunt(target, {
      iterations: spec.iterations,
      trackAllocations: spec.trackAllocations,
      signal: hooks.signal,
      gate: hooks.gate,
      onProgress: hooks.onProgress && ((p) => hooks.onProgress!(huntProgress(p))),
    });
    // The scripts only now (prepareDebuggee says why): the sites need their URLs and sources.
    // Best effort: the report stands on the snapshot, and a site without them reads its file.
    await target.announceScripts().catch(() => undefined);
    const { outcome, analysed } = await reportHunt(
      result,
      new SiteResolver(target.scripts, [hooks.harnessPath]),
    );
    return { outcome, analysed, iterations: result.iterations };
  } finally {
    await target.dispose();
    if ('strays' in target) hooks.onStrays?.((target as Debuggee).strays);
  }
}
