// heaplens find-leaks: run a scenario (or attach to a running process), hunt, and print
// the ranked leaks with their chain, allocation site and sentence.

import fs from 'node:fs';
import path from 'node:path';
import { Debuggee, startDebuggee } from '../inspector/runner';
import { attach, UnitOfWork } from '../inspector/attach';
import { isInspectorError } from '../inspector/errors';
import type { HuntTarget } from '../inspector/session';
import { hunt } from '../hunt/hunt';
import { SiteResolver } from '../hunt/sites';
import { buildLeakReport } from '../hunt/report';
import { renderReport } from '../hunt/render';
import { ParsedArgs, UsageError } from './args';
import { forTerminal } from '../core/sanitize';

export async function findLeaksCommand(args: ParsedArgs): Promise<number> {
  const iterations = args.int('iterations');
  const actionTimeoutMs = args.int('action-timeout') * 1000;
  const attachTo = args.address('attach');
  const jsonOut = args.text('json');
  const quiet = args.flag('quiet');
  const scenarioFile = args.positionals['scenario file'];
  const action = args.text('action');
  const request = args.text('request');
  if (attachTo) {
    if (scenarioFile) throw new UsageError('give a SCENARIO or --attach HOST:PORT, not both');
    if ((action === undefined) === (request === undefined)) throw new UsageError('--attach needs exactly one of --action "EXPR" or --request URL');
  } else {
    if (!scenarioFile) throw new UsageError('missing the scenario file (or --attach HOST:PORT)');
    if (action !== undefined || request !== undefined) throw new UsageError('--action and --request belong to --attach');
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  // SIGHUP: the terminal closed. End the hunt like a Ctrl-C, so nothing is left running.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of signals) process.once(sig, stop);
  let target: HuntTarget | null = null;
  let spawned: Debuggee | null = null;
  const harness = path.join(__dirname, 'harness.js');
  try {
    if (attachTo) {
      const work: UnitOfWork = action !== undefined ? { kind: 'evaluate', expression: action } : { kind: 'http', url: request! };
      target = await attach(attachTo, work, { signal: controller.signal, iterationTimeoutMs: actionTimeoutMs });
    } else {
      const scenario = path.resolve(scenarioFile!);
      target = spawned = await startDebuggee(scenario, {
        signal: controller.signal,
        iterationTimeoutMs: actionTimeoutMs,
        // With inlining, V8 charges an allocation to the hot caller the allocating function
        // was inlined into; without it, allocation sites name the function that allocated.
        execArgv: ['--no-turbo-inlining'],
        onOutput: quiet ? undefined : (_s, text) => process.stderr.write(text),
      });
    }
    const result = await hunt(target, {
      iterations, signal: controller.signal,
      onProgress: quiet ? undefined : (p) => {
        if (p.step === 'iteration') process.stderr.write(`\rheaplens: iteration ${p.iteration}/${p.iterations}   `);
        else if (p.step === 'analysis') process.stderr.write('\rheaplens: analysing…            \n');
      },
    });
    const report = await buildLeakReport(result, new SiteResolver(target.scripts, [harness]));
    // The report goes out first: a write that fails after a long hunt must not lose it.
    process.stdout.write(renderReport(report, iterations) + '\n');
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 2) + '\n');
    return 0;
  } catch (e) {
    if (isInspectorError(e)) {
      // The scenario's own stack is worth showing; the harness's frames are not.
      const message = e.message.split('\n').filter((l) => !/harness\.js|^\s+at <anonymous>|^\s+at (async )?guarded /.test(l)).join('\n');
      process.stderr.write(`\nheaplens: ${forTerminal(message, { multiline: true })}\n`);
      return 1;
    }
    throw e;
  } finally {
    for (const sig of signals) process.off(sig, stop);
    await target?.dispose();
    const strays = spawned?.strays ?? [];
    if (strays.length > 0) {
      process.stderr.write(`heaplens: ended ${strays.length} process${strays.length === 1 ? '' : 'es'} the scenario left running:\n` +
        strays.map((p) => `  pid ${p.pid}: ${forTerminal(p.command, { max: 200 })}\n`).join(''));
    }
  }
}

