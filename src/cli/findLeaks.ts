// heaplens find-leaks: run a scenario (or attach to a running process), hunt, and print
// the ranked leaks with their chain, allocation site and sentence.

import fs from 'node:fs';
import path from 'node:path';
import type { HuntTargetSpec } from '../contracts/hunt';
import { DEFAULTS } from '../contracts/defaults';
import { RemoteError } from '../contracts/errors';
import { forTerminal } from '../core/sanitize';
import { runHunt } from '../hunt/pipeline';
import { asRemoteError } from '../hunt/errors';
import { renderReport } from '../hunt/render';
import type { StrayProcess } from '../inspector/strays';
import { ParsedArgs, UsageError } from './args';

export async function findLeaksCommand(args: ParsedArgs): Promise<number> {
  const iterations = args.int('iterations');
  const actionTimeoutMs = args.int('action-timeout') * 1000;
  const attachTo = args.address('attach');
  const jsonOut = args.text('json');
  const quiet = args.flag('quiet');
  const scenarioFile = args.positionals['scenario file'];
  const action = args.text('action');
  const request = args.text('request');
  let target: HuntTargetSpec;
  if (attachTo) {
    if (scenarioFile) throw new UsageError('give a SCENARIO or --attach HOST:PORT, not both');
    if ((action === undefined) === (request === undefined))
      throw new UsageError('--attach needs exactly one of --action "EXPR" or --request URL');
    target = {
      kind: 'attach',
      ...attachTo,
      work: action !== undefined ? { kind: 'evaluate', expression: action } : { kind: 'http', url: request! },
    };
  } else {
    if (!scenarioFile) throw new UsageError('missing the scenario file (or --attach HOST:PORT)');
    if (action !== undefined || request !== undefined)
      throw new UsageError('--action and --request belong to --attach');
    target = { kind: 'scenario', scenario: path.resolve(scenarioFile) };
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  // SIGHUP: the terminal closed. End the hunt like a Ctrl-C, so nothing is left running.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.once(sig, stop);
  let strays: readonly StrayProcess[] = [];
  try {
    const run = await runHunt(
      { target, iterations, trackAllocations: DEFAULTS.trackAllocations, actionTimeoutMs },
      {
        signal: controller.signal,
        harnessPath: path.join(__dirname, 'harness.js'),
        onOutput: quiet ? undefined : (text) => process.stderr.write(text),
        onProgress: quiet
          ? undefined
          : (p) => {
              if (p.phase === 'snapshot' || (p.phase === 'hunt' && p.message?.startsWith('iteration')))
                process.stderr.write(`\rheaplens: ${(p.message ?? '').padEnd(40)}`);
              else if (p.phase === 'hunt' && p.message === 'analysis')
                process.stderr.write('\rheaplens: analysing…            \n');
            },
        onStrays: (s) => {
          strays = s;
        },
      },
    );
    // The report goes out first: a write that fails after a long hunt must not lose it.
    process.stdout.write(
      renderReport(run.outcome.report, iterations, { rawPaths: args.flag('raw-paths') }) + '\n',
    );
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(run.outcome.report, null, 2) + '\n');
    return 0;
  } catch (e) {
    const err: RemoteError = asRemoteError(e);
    if (err.code === 'internal') throw e;
    // The scenario's own stack is worth showing; the harness's frames are not.
    const message = err.message
      .split('\n')
      .filter((l) => !/harness\.js|^\s+at <anonymous>|^\s+at (async )?guarded /.test(l))
      .join('\n');
    process.stderr.write(`\nheaplens: ${forTerminal(message, { multiline: true })}\n`);
    return 1;
  } finally {
    for (const sig of signals) process.off(sig, stop);
    if (strays.length > 0) {
      process.stderr.write(
        `heaplens: ended ${strays.length} process${strays.length === 1 ? '' : 'es'} the scenario left running:\n` +
          strays.map((p) => `  pid ${p.pid}: ${forTerminal(p.command, { max: 200 })}\n`).join(''),
      );
    }
  }
}
