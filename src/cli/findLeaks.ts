// heaplens find-leaks: run a scenario (or attach to a running process), hunt, and print
// the ranked leaks with their chain, allocation site and sentence.

import fs from 'node:fs';
import path from 'node:path';
import { startDebuggee } from '../inspector/runner';
import { attach, UnitOfWork } from '../inspector/attach';
import { isInspectorError } from '../inspector/errors';
import type { HuntTarget } from '../inspector/session';
import { hunt, DEFAULT_ITERATIONS } from '../hunt/hunt';
import { SiteResolver } from '../hunt/sites';
import { buildLeakReport } from '../hunt/report';
import { renderReport } from '../hunt/render';
import { Args, UsageError } from './args';

export async function findLeaksCommand(args: Args): Promise<number> {
  const iterations = args.number('--iterations', DEFAULT_ITERATIONS);
  if (!Number.isInteger(iterations) || iterations < 2 || iterations > 100) throw new UsageError('--iterations must be a whole number from 2 to 100');
  const attachTo = args.value('--attach');
  const jsonOut = args.value('--json');
  const quiet = args.flag('--quiet');
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let target: HuntTarget | null = null;
  const harness = path.join(__dirname, 'harness.js');
  try {
    if (attachTo) {
      const m = /^(.+):(\d+)$/.exec(attachTo);
      if (!m) throw new UsageError('--attach takes HOST:PORT');
      const action = args.value('--action');
      const request = args.value('--request');
      if (!action === !request) throw new UsageError('--attach needs exactly one of --action "EXPR" or --request URL');
      const work: UnitOfWork = action ? { kind: 'evaluate', expression: action } : { kind: 'http', url: request! };
      target = await attach({ host: m[1], port: Number(m[2]) }, work, { signal: controller.signal });
    } else {
      const scenario = path.resolve(args.file(0));
      if (!fs.existsSync(scenario)) throw new UsageError(`no scenario file at ${scenario}`);
      target = await startDebuggee(scenario, {
        signal: controller.signal,
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
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(renderReport(report, iterations, { rawPaths: args.flag('--raw-paths') }) + '\n');
    return 0;
  } catch (e) {
    if (isInspectorError(e)) {
      // The scenario's own stack is worth showing; the harness's frames are not.
      const message = e.message.split('\n').filter((l) => !/harness\.js|^\s+at <anonymous>/.test(l)).join('\n');
      process.stderr.write(`\nheaplens: ${message}\n`);
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await target?.dispose();
  }
}

