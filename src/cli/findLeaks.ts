// heaplens find-leaks: run a scenario (or attach to a running process), hunt, and print
// the ranked leaks with their chain, allocation site and sentence.

import fs from 'node:fs';
import path from 'node:path';
import type { HuntTargetSpec } from '../contracts/hunt';
import { DEFAULTS } from '../contracts/defaults';
import { RemoteError } from '../contracts/errors';
import { runHunt } from '../hunt/pipeline';
import { asRemoteError } from '../hunt/errors';
import { renderReport } from '../hunt/render';
import { Args, UsageError } from './args';

export async function findLeaksCommand(args: Args): Promise<number> {
  const iterations = args.number('--iterations', DEFAULTS.iterations);
  if (!Number.isInteger(iterations) || iterations < DEFAULTS.minIterations || iterations > DEFAULTS.maxIterations) {
    throw new UsageError(`--iterations must be a whole number from ${DEFAULTS.minIterations} to ${DEFAULTS.maxIterations}`);
  }
  const attachTo = args.value('--attach');
  const jsonOut = args.value('--json');
  const quiet = args.flag('--quiet');
  let target: HuntTargetSpec;
  if (attachTo) {
    const m = /^(.+):(\d+)$/.exec(attachTo);
    if (!m) throw new UsageError('--attach takes HOST:PORT');
    const action = args.value('--action');
    const request = args.value('--request');
    if (!action === !request) throw new UsageError('--attach needs exactly one of --action "EXPR" or --request URL');
    target = { kind: 'attach', host: m[1], port: Number(m[2]), work: action ? { kind: 'evaluate', expression: action } : { kind: 'http', url: request! } };
  } else {
    const scenario = path.resolve(args.file(0));
    if (!fs.existsSync(scenario)) throw new UsageError(`no scenario file at ${scenario}`);
    target = { kind: 'scenario', scenario };
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const run = await runHunt({ target, iterations, trackAllocations: DEFAULTS.trackAllocations }, {
      signal: controller.signal,
      harnessPath: path.join(__dirname, 'harness.js'),
      onOutput: quiet ? undefined : (text) => process.stderr.write(text),
      onProgress: quiet ? undefined : (p) => {
        if (p.phase === 'snapshot' || (p.phase === 'hunt' && p.message?.startsWith('iteration'))) process.stderr.write(`\rheaplens: ${p.message}      `);
        else if (p.phase === 'hunt' && p.message === 'analysis') process.stderr.write('\rheaplens: analysing…            \n');
      },
    });
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(run.outcome.report, null, 2) + '\n');
    process.stdout.write(renderReport(run.outcome.report, iterations, { rawPaths: args.flag('--raw-paths') }) + '\n');
    return 0;
  } catch (e) {
    const err: RemoteError = asRemoteError(e);
    if (err.code === 'internal') throw e;
    // The scenario's own stack is worth showing; the harness's frames are not.
    const message = err.message.split('\n').filter((l) => !/harness\.js|^\s+at <anonymous>/.test(l)).join('\n');
    process.stderr.write(`\nheaplens: ${message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
