// The hunt worker (src/hunt/huntWorker.ts): runs a leak hunt, a live hunt in a debug
// session, "why is this alive?" and the heap overview off the extension host's thread, then
// answers SnapshotQueries about the snapshot the last of them ended with.

import type { LeakReport } from '../core/report';
import type { SnapshotQueries } from './analysis';
import type { Call, Result } from './rpc';
import type { ClassRow } from './webview';

/** One unit of work repeated in a running program: an expression, or a loopback GET. */
export type WorkSpec = { kind: 'evaluate'; expression: string } | { kind: 'http'; url: string };

/** What to hunt in: a scenario module, a program we start, or a process already running with --inspect. */
export type HuntTargetSpec =
  | { kind: 'scenario'; scenario: string }
  | { kind: 'program'; program: string; args: string[]; work: WorkSpec }
  | { kind: 'attach'; host: string; port: number; work: WorkSpec };

export interface HuntSpec {
  target: HuntTargetSpec;
  iterations: number;
  trackAllocations: boolean;
  /** Bound on setup and on each action, warm-ups included (ms); DEFAULTS.iterationTimeoutMs by default. */
  actionTimeoutMs?: number;
  nodePath?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/** Where a live hunt or "why is this alive?" connects: an inspector URL, host:port, or js-debug's CDP proxy. */
export type InspectorAddress =
  | { url: string }
  | { host: string; port: number }
  | { viaJsDebugProxy: true; host: string; port: number; path?: string };

/** A finished hunt: the report, and for each leak the snapshot id of the object its path leads to. */
export interface HuntOutcome {
  report: LeakReport;
  targets: number[];
}

export interface HuntApi extends SnapshotQueries {
  /** Progress: phase 'hunt', `done` of `total` iterations, or 'snapshot' in bytes; program output as output notices. */
  hunt(spec: HuntSpec): Promise<HuntOutcome>;
  /** A live hunt in a running program: the start mark now, marks on demand, then one snapshot and the analysis. */
  liveStart(address: InspectorAddress, trackAllocations?: boolean): Promise<void>;
  /** Resolves to the number of marks taken after the start. */
  liveSnapshot(): Promise<number>;
  liveFinish(): Promise<HuntOutcome>;
  /**
   * Stops whatever runs (as the abort signal does) and hands a live hunt's program back: tracking
   * off, compaction on, the socket closed once quiet. Resolves once done, so the thread can end.
   */
  stop(): Promise<void>;
  /** The heap object behind an expression and a snapshot around it; later queries are about that snapshot. */
  whyIsThisAlive(
    address: InspectorAddress,
    expression: string,
    callFrameId?: string,
    afterResolve?: string,
  ): Promise<{ id: number }>;
  /** Classes by retained size now, with growth since this worker's previous overview. */
  overview(address: InspectorAddress): Promise<ClassRow[]>;
}

export interface HuntSignals {
  /** Holds a running hunt before its next iteration, or lets it go on. */
  pause(): void;
  resume(): void;
  /** Stops a running hunt or live hunt: its debuggee is cleaned up, then its call fails with 'cancelled'. */
  abort(): void;
}

export type HuntCall<K extends keyof HuntApi = keyof HuntApi> = Call<HuntApi, K>;
export type HuntResult<K extends keyof HuntApi = keyof HuntApi> = Result<HuntApi, K>;
