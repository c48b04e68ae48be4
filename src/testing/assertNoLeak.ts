// heaplens/test: a leak assertion for node:test (or any runner). `assertNoLeak(fn, { module })`
// hunts `fn` the way `heaplens find-leaks` hunts a scenario's action: in a child process under
// the inspector, repeated with id marks after each call and one heap snapshot at the end, and fails with the leak's
// sentence and the line that allocated what is kept.
//
// A function cannot be sent to another process, so the child loads it: `fn` must be exported
// by `module` (a path or file: URL, usually `import.meta.url` of the module that defines it,
// or require.resolve of it). The export is found by identity in the module as this process
// loaded it; give `exportName` when it is exported under several names or wrapped. Whatever
// `fn` closes over must be reachable from that module's own top level: the child runs that
// module fresh, not the test's copy of it. The test file itself is never loaded in the child.

import assert from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { huntReport } from '../agent/runHunt';
import { DEFAULTS } from '../contracts/defaults';
import { frameLocation, userFrameOf } from '../core/compact';
import { formatBytes } from '../core/format';
import type { Leak } from '../core/report';

export interface AssertNoLeakOptions {
  /** The module that exports `fn`: a path, or a file: URL (import.meta.url). */
  module: string | URL;
  /** The export's name, when identity cannot find it (default: found by identity). */
  exportName?: string;
  /** Calls of `fn`, each followed by a snapshot (default 8; 2 to 100). */
  iterations?: number;
  /** Growth per call, in bytes, that is still accepted (default 0: any leak fails). */
  maxGrowth?: number;
  /** Node binary for the child (default: the one running the test). */
  nodePath?: string;
}

// tsc turns `import()` into `require()` under module=commonjs, which cannot load ESM.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed body, no input in it
const dynamicImport = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<Record<string, unknown>>;

export async function assertNoLeak(fn: () => unknown, options: AssertNoLeakOptions): Promise<void> {
  if (typeof fn !== 'function') throw new TypeError('assertNoLeak needs the function to hunt');
  if (!options || !options.module)
    throw new TypeError(
      'assertNoLeak needs options.module: the module that exports the function (e.g. import.meta.url)',
    );
  const file = modulePath(options.module);
  const name = options.exportName ?? (await exportNameOf(fn, file));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-assert-'));
  const scenario = path.join(dir, 'scenario.cjs');
  fs.writeFileSync(scenario, scenarioSource(file, name));
  let leaks: Leak[];
  let iterations: number;
  try {
    const run = await huntReport(
      { kind: 'scenario', scenario },
      {
        iterations: options.iterations ?? DEFAULTS.iterations,
        cwd: path.dirname(file),
        nodePath: options.nodePath,
      },
    );
    iterations = run.iterations;
    leaks = run.report.leaks.filter((l) => l.growthPerIteration > (options.maxGrowth ?? 0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (leaks.length === 0) return;
  const lines = leaks.slice(0, 3).map((leak) => {
    const frame = userFrameOf(leak);
    return (
      `  ${leak.name}: +${formatBytes(leak.growthPerIteration)} per call. ${leak.explanation}\n` +
      `    ${frame ? `allocated at ${frameLocation(frame)} in ${frame.functionName}` : 'allocation site unknown'}`
    );
  });
  throw new assert.AssertionError({
    message: `${name} leaks: ${leaks.length} kind(s) of object kept growing over ${iterations} calls\n${lines.join('\n')}`,
    operator: 'assertNoLeak',
    stackStartFn: assertNoLeak,
  });
}

function modulePath(m: string | URL): string {
  const s = m instanceof URL ? m.href : m;
  return s.startsWith('file:') ? fileURLToPath(s) : path.resolve(s);
}

/** The name under which `file` exports `fn`, looked up in this process's copy of the module. */
async function exportNameOf(fn: () => unknown, file: string): Promise<string> {
  const ns = await dynamicImport(pathToFileURL(file).href);
  const def = ns.default;
  const tables = [
    ns,
    ...(def && (typeof def === 'object' || typeof def === 'function')
      ? [def as Record<string, unknown>]
      : []),
  ];
  for (const table of tables) {
    for (const key of Object.keys(table)) if (key !== 'default' && table[key] === fn) return key;
  }
  if (def === fn) return 'default';
  throw new TypeError(
    `assertNoLeak: ${file} does not export this function (${fn.name || 'anonymous'}). ` +
      'The hunt runs in a child process, which loads the function from its module: export it, pass that module as ' +
      'options.module, or name the export with options.exportName.',
  );
}

/** The scenario the child runs: load the module once (setup), call the export as the action. */
function scenarioSource(file: string, name: string): string {
  return `'use strict';
// Written by heaplens/test's assertNoLeak for one hunt, removed after it.
let fn;
const pick = (ns, name) => {
  if (typeof ns[name] === 'function') return ns[name];
  const d = ns.default;
  if (name === 'default' && typeof d === 'function') return d;
  return d && typeof d[name] === 'function' ? d[name] : undefined;
};
module.exports = {
  async setup() {
    fn = pick(await import(${JSON.stringify(pathToFileURL(file).href)}), ${JSON.stringify(name)});
    if (!fn) throw new Error(${JSON.stringify(`${file} has no function export ${name}`)});
  },
  async action() { await fn(); },
};
`;
}
