// What the runner and the harness agree on. Kept apart from harness.ts because
// importing that file would run the harness.

/** The one global the harness defines in the debuggee. */
export const HARNESS_GLOBAL = '__heaplens';

/** The name of the error the harness throws when it could not write the hunt's snapshot (not the scenario's). */
export const SNAPSHOT_WRITE_ERROR = 'HeapLensSnapshotWriteError';

/** What the harness's finish (the last unit of work, then the snapshot) resolves to. */
export interface FinishResult {
  /** The unit returned no promise (see iterate). */
  synchronous: boolean;
  /** The snapshot was written into the pipe. */
  written: boolean;
}

/** What the harness's framed (the hunt's iterations in one evaluation, then the snapshot) resolves to. */
export interface FramedResult {
  /** Units run (all of them, or up to the first that was not pure). */
  done: number;
  /** Every unit made no async resource (a promise, timer, tick, request). */
  pure: boolean;
  /** The snapshot was written into the pipe. */
  written: boolean;
}

export { ITERATION_FRAME } from '../core/leaks/births';

/** The harness reports readiness or a load failure on this fd, one JSON object per line. */
export const CONTROL_FD = 3;

export type HarnessMessage =
  /** `heapLimit`: V8's heap size limit in bytes, to say how big the heap was when it ran out. */
  | { type: 'ready'; heapLimit?: number }
  | { type: 'error'; code: 'SCENARIO_INVALID' | 'NOT_A_SCENARIO'; message: string };

/** workerData of the harness's watch thread (the harness file run in a worker). */
export interface WatchData {
  heaplensWatch: true;
  /** The runner's pid when the harness started: a different parent means the runner died. */
  parentPid: number;
  token: string | undefined;
}

/**
 * The TypeScript hook's load errors already read `file.ts:line:col: what` (one line a person can
 * act on); the harness passes them on as they are.
 */
export const TS_LOAD_ERROR = /^\S+\.[cm]?tsx?:\d+:\d+: /;

/** A TypeScript source (not a declaration file): run through the TypeScript hook. */
export function isTypeScriptFile(file: string): boolean {
  return /\.(?:[cm]?ts|tsx)$/.test(file) && !/\.d\.[cm]?ts$/.test(file);
}
