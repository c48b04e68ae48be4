// What the runner and the harness agree on. Kept apart from harness.ts because
// importing that file would run the harness.

/** The one global the harness defines in the debuggee. */
export const HARNESS_GLOBAL = '__heaplens';

/** The harness reports readiness or a load failure on this fd, one JSON object per line. */
export const CONTROL_FD = 3;

export type HarnessMessage = { type: 'ready' } | { type: 'error'; code: 'SCENARIO_INVALID' | 'NOT_A_SCENARIO'; message: string };
