// heaplens check SCENARIO… : the CI gate. Hunts each scenario in turn and exits 0 when none
// leaks, 1 when one does (growth above --max-growth bytes per iteration), 2 on a usage error
// or when a scenario cannot be run (a broken gate must not pass as clean). --sarif writes the
// leaks at their user frames for code scanning, --junit one test case per scenario.

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { huntReport } from '../agent/runHunt';
import { DEFAULTS } from '../contracts/defaults';
import { asRemoteError } from '../hunt/errors';
import { clean, formatBytes } from '../core/format';
import { frameLocation, userFrameOf } from '../core/compact';
import type { ScenarioOutcome } from './checkResult';
import { toSarif } from './sarif';
import { toJUnit } from './junit';
import { version } from '../../package.json';
import { CHECK_USAGE } from './rawUsage';

export async function checkCommand(argv: string[]): Promise<number> {
  let opts: {
    iterations: number;
    maxGrowth: number;
    sarif?: string;
    junit?: string;
    quiet: boolean;
    scenarios: string[];
  };
  try {
    opts = readOptions(argv);
  } catch (e) {
    process.stderr.write(
      `heaplens check: ${e instanceof Error ? e.message : String(e)}\nusage:\n${CHECK_USAGE}\n`,
    );
    return 2;
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const scenario of opts.scenarios) {
      if (controller.signal.aborted) break;
      outcomes.push(await checkOne(scenario, opts, controller.signal));
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const root = process.cwd();
  if (opts.sarif)
    fs.writeFileSync(opts.sarif, JSON.stringify(toSarif(outcomes, root, version), null, 2) + '\n');
  if (opts.junit) fs.writeFileSync(opts.junit, toJUnit(outcomes));
  const errors = outcomes.filter((o) => o.error).length;
  const leaking = outcomes.filter((o) => o.leaks.length > 0).length;
  process.stdout.write(
    `heaplens check: ${outcomes.length} scenario(s), ${leaking} leaking, ${errors} could not be checked\n`,
  );
  if (errors > 0 || controller.signal.aborted) return 2;
  return leaking > 0 ? 1 : 0;
}

function readOptions(argv: string[]): {
  iterations: number;
  maxGrowth: number;
  sarif?: string;
  junit?: string;
  quiet: boolean;
  scenarios: string[];
} {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      iterations: { type: 'string' },
      'max-growth': { type: 'string' },
      sarif: { type: 'string' },
      junit: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new Error('give at least one scenario file');
  const iterations = values.iterations === undefined ? DEFAULTS.iterations : Number(values.iterations);
  if (
    !Number.isInteger(iterations) ||
    iterations < DEFAULTS.minIterations ||
    iterations > DEFAULTS.maxIterations
  ) {
    throw new Error(
      `--iterations must be a whole number from ${DEFAULTS.minIterations} to ${DEFAULTS.maxIterations}`,
    );
  }
  const maxGrowth = values['max-growth'] === undefined ? 0 : Number(values['max-growth']);
  if (!Number.isFinite(maxGrowth) || maxGrowth < 0)
    throw new Error('--max-growth takes a number of bytes per iteration (0 or more)');
  return {
    iterations,
    maxGrowth,
    sarif: values.sarif,
    junit: values.junit,
    quiet: values.quiet ?? false,
    scenarios: positionals,
  };
}

async function checkOne(
  scenario: string,
  opts: { iterations: number; maxGrowth: number; quiet: boolean },
  signal: AbortSignal,
): Promise<ScenarioOutcome> {
  const file = path.resolve(scenario);
  const t0 = performance.now();
  const outcome: ScenarioOutcome = {
    scenario,
    file,
    seconds: 0,
    iterations: opts.iterations,
    leaks: [],
    tolerated: [],
  };
  try {
    const { report } = await huntReport(
      { kind: 'scenario', scenario: file },
      {
        iterations: opts.iterations,
        signal,
        cwd: path.dirname(file),
        onOutput: opts.quiet ? undefined : (text) => process.stderr.write(text),
      },
    );
    for (const leak of report.leaks)
      (leak.growthPerIteration > opts.maxGrowth ? outcome.leaks : outcome.tolerated).push(leak);
  } catch (e) {
    const err = asRemoteError(e);
    outcome.error = { code: err.code, message: err.message };
  }
  outcome.seconds = (performance.now() - t0) / 1000;
  process.stdout.write(describe(outcome) + '\n');
  return outcome;
}

function describe(o: ScenarioOutcome): string {
  if (o.error) return `ERROR ${o.scenario}: ${clean(o.error.message.split('\n')[0], 300)} [${o.error.code}]`;
  if (o.leaks.length === 0) {
    const within = o.tolerated.length > 0 ? ` (${o.tolerated.length} growing within --max-growth)` : '';
    return `PASS  ${o.scenario}: no leak over ${o.iterations} iterations${within}`;
  }
  return [
    `LEAK  ${o.scenario}:`,
    ...o.leaks.map((leak) => {
      const frame = userFrameOf(leak);
      return (
        `  ${clean(leak.name, 60)} +${formatBytes(leak.growthPerIteration)} per iteration: ${clean(leak.explanation, 400)}\n` +
        `    ${frame ? `at ${frameLocation(frame)} in ${clean(frame.functionName, 80)}` : 'allocation site unknown'}`
      );
    }),
  ].join('\n');
}
