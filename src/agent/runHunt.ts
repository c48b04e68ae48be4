// One leak hunt, start to report, for the callers that are not a person at a terminal:
// `heaplens check` (CI), the MCP server, and the node:test helper. The scenario runs in a
// child process under the inspector (or a process already running with --inspect on a
// loopback port is attached to); the debuggee is disposed on every way out.

import fs from 'node:fs';
import path from 'node:path';
import { startDebuggee } from '../inspector/runner';
import { attach, UnitOfWork } from '../inspector/attach';
import type { HuntTarget } from '../inspector/session';
import { hunt, DEFAULT_ITERATIONS } from '../hunt/hunt';
import { SiteResolver } from '../hunt/sites';
import { buildLeakReport } from '../hunt/report';
import type { LeakReport } from '../core/report';

export type HuntRequest =
  | { scenario: string; cwd?: string; nodePath?: string }
  | { attach: { host: string; port: number }; work: UnitOfWork };

export interface RunHuntOptions {
  iterations?: number;
  trackAllocations?: boolean;
  signal?: AbortSignal;
  /** What the scenario prints (a child process's stdout and stderr). */
  onOutput?: (text: string) => void;
  onIteration?: (i: number, of: number) => void;
}

export class HuntRequestError extends Error {
  constructor(readonly code: 'NO_SCENARIO' | 'BAD_ITERATIONS', message: string) {
    super(message);
  }
}

export const MAX_ITERATIONS = 100;

export async function runHunt(req: HuntRequest, opts: RunHuntOptions = {}): Promise<{ report: LeakReport; iterations: number }> {
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 2 || iterations > MAX_ITERATIONS) {
    throw new HuntRequestError('BAD_ITERATIONS', `iterations must be a whole number from 2 to ${MAX_ITERATIONS}`);
  }
  const harness = path.join(__dirname, 'harness.js');
  let target: HuntTarget | null = null;
  try {
    if ('attach' in req) {
      target = await attach(req.attach, req.work, { signal: opts.signal });
    } else {
      const scenario = path.resolve(req.scenario);
      if (!fs.existsSync(scenario)) throw new HuntRequestError('NO_SCENARIO', `no scenario file at ${scenario}`);
      target = await startDebuggee(scenario, {
        signal: opts.signal, harnessPath: harness, cwd: req.cwd, nodePath: req.nodePath,
        // With inlining, V8 charges an allocation to the hot caller it was inlined into.
        execArgv: ['--no-turbo-inlining'],
        onOutput: opts.onOutput ? (_s, text) => opts.onOutput!(text) : undefined,
      });
    }
    const result = await hunt(target, {
      iterations, trackAllocations: opts.trackAllocations, signal: opts.signal,
      onProgress: (p) => { if (p.step === 'iteration' && p.iteration) opts.onIteration?.(p.iteration, p.iterations); },
    });
    return { report: await buildLeakReport(result, new SiteResolver(target.scripts, [harness])), iterations };
  } finally {
    await target?.dispose();
  }
}
