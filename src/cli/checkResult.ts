// What `heaplens check` found for one scenario: the shared input of its text, SARIF and JUnit
// outputs.

import type { Leak } from '../core/report';

export interface ScenarioOutcome {
  /** The scenario as given on the command line. */
  scenario: string;
  /** Absolute path of the scenario file. */
  file: string;
  seconds: number;
  iterations: number;
  /** Leaks over the growth limit (the ones that fail the check). */
  leaks: Leak[];
  /** Leaks the hunt found but that grow by no more than --max-growth bytes per iteration. */
  tolerated: Leak[];
  /** Set when the scenario could not be run or hunted. */
  error?: { code: string; message: string };
}
