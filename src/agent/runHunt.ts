// One leak hunt, start to report, for the callers that are not a person at a terminal or in
// the editor: `heaplens check` (CI), the MCP server and the node:test helper. A thin layer on
// the hunt pipeline (src/hunt/pipeline.ts): the defaults, the harness next to this bundle,
// and errors turned into coded RemoteErrors. The debuggee is disposed on every way out.

import fs from 'node:fs';
import path from 'node:path';
import type { HuntTargetSpec } from '../contracts/hunt';
import { DEFAULTS } from '../contracts/defaults';
import { RemoteError } from '../contracts/errors';
import { runHunt } from '../hunt/pipeline';
import { asRemoteError } from '../hunt/errors';
import type { LeakReport } from '../core/report';

export interface HuntReportOptions {
  iterations?: number;
  trackAllocations?: boolean;
  cwd?: string;
  nodePath?: string;
  signal?: AbortSignal;
  /** What the hunted program prints (its stdout and stderr). */
  onOutput?: (text: string) => void;
}

/** Runs the hunt; throws a RemoteError with a stable code (bad-scenario, cancelled, not-loopback…). */
export async function huntReport(
  target: HuntTargetSpec,
  opts: HuntReportOptions = {},
): Promise<{ report: LeakReport; iterations: number }> {
  const iterations = opts.iterations ?? DEFAULTS.iterations;
  if (
    !Number.isInteger(iterations) ||
    iterations < DEFAULTS.minIterations ||
    iterations > DEFAULTS.maxIterations
  ) {
    // Callers check what a person typed; reaching here is a caller's bug.
    throw new RangeError(
      `iterations must be a whole number from ${DEFAULTS.minIterations} to ${DEFAULTS.maxIterations}`,
    );
  }
  if (target.kind === 'scenario' && !fs.existsSync(target.scenario)) {
    throw new RemoteError('bad-scenario', `no scenario file at ${path.resolve(target.scenario)}`);
  }
  try {
    const run = await runHunt(
      {
        target,
        iterations,
        trackAllocations: opts.trackAllocations ?? DEFAULTS.trackAllocations,
        cwd: opts.cwd,
        nodePath: opts.nodePath,
      },
      { signal: opts.signal, harnessPath: path.join(__dirname, 'harness.js'), onOutput: opts.onOutput },
    );
    return { report: run.outcome.report, iterations: run.iterations };
  } catch (e) {
    throw asRemoteError(e);
  }
}
