// What the runner and the harness agree on. Kept apart from harness.ts because
// importing that file would run the harness.

/** The one global the harness defines in the debuggee. */
export const HARNESS_GLOBAL = '__heaplens';

/** The harness reports readiness or a load failure on this fd, one JSON object per line. */
export const CONTROL_FD = 3;

export type HarnessMessage = { type: 'ready' } | { type: 'error'; code: 'SCENARIO_INVALID' | 'NOT_A_SCENARIO'; message: string };

/**
 * The TypeScript hook's load errors already read `file.ts:line:col: what` (one line a person can
 * act on); the harness passes them on as they are.
 */
export const TS_LOAD_ERROR = /^\S+\.[cm]?tsx?:\d+:\d+: /;

/** A TypeScript source (not a declaration file): run through the TypeScript hook. */
export function isTypeScriptFile(file: string): boolean {
  return /\.(?:[cm]?ts|tsx)$/.test(file) && !/\.d\.[cm]?ts$/.test(file);
}
