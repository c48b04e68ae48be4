// What the runner and the harness agree on. Kept apart from harness.ts because
// importing that file would run the harness.

/** The one global the harness defines in the debuggee. */
export const HARNESS_GLOBAL = '__heaplens';

/** The harness reports readiness or a load failure on this fd, one JSON object per line. */
export const CONTROL_FD = 3;

export type HarnessMessage =
  /** `heapLimit`: V8's heap size limit in bytes, to say how big the heap was when it ran out. */
  | { type: 'ready'; heapLimit?: number }
  | { type: 'error'; code: 'SCENARIO_INVALID'; message: string };

/** workerData of the harness's watch thread (the harness file run in a worker). */
export interface WatchData {
  heaplensWatch: true;
  /** The runner's pid when the harness started: a different parent means the runner died. */
  parentPid: number;
  token: string | undefined;
}
