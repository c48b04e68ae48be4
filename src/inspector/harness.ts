// Runs inside the debuggee: `node --inspect=127.0.0.1:0 harness.js <scenario>`.
// Bundled to dist/harness.js; keep it dependency-free.
//
// It loads the scenario, then waits to be driven over CDP through
// `globalThis.__heaplens`. Everything the harness owns is allocated before the runner
// takes its baseline snapshot and never grows afterwards (no per-iteration state, no
// result objects: the runner evaluates with returnByValue), so it cannot look like a
// leak. Control messages go to fd 3, keeping the scenario's stdout/stderr its own.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTROL_FD, HARNESS_GLOBAL, HarnessMessage, TS_LOAD_ERROR } from './harnessProtocol';

type Fn = () => unknown;

function report(msg: HarnessMessage): void {
  try {
    fs.writeSync(CONTROL_FD, JSON.stringify(msg) + '\n');
  } catch {
    // Started without the control pipe (by hand, for debugging): carry on.
  }
}

// tsc would turn `import()` into `require()` under module=commonjs, which cannot load
// ESM; a Function body is left alone by both tsc and esbuild.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed body, no input in it
const dynamicImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<Record<string, unknown>>;

function pick(ns: Record<string, unknown>, name: string): Fn | undefined {
  const direct = ns[name];
  if (typeof direct === 'function') return direct as Fn;
  // CommonJS through import(): module.exports is `default` when the lexer missed a name.
  const def = ns.default as Record<string, unknown> | undefined;
  const viaDefault = def && (typeof def === 'object' || typeof def === 'function') ? def[name] : undefined;
  return typeof viaDefault === 'function' ? (viaDefault as Fn) : undefined;
}

/**
 * One line for a scenario that failed to load: what failed and where in the user's code, never
 * Node's internal stack (the TypeScript hook's own errors already read `file:line:col: what`).
 */
export function describeLoadError(e: unknown): string {
  if (!(e instanceof Error)) return `it threw ${typeof e === 'symbol' ? e.toString() : JSON.stringify(e) ?? String(e)}`;
  const what = `${e.name === 'Error' ? '' : `${e.name}: `}${e.message.split('\n')[0]}`;
  // The hook's message survives the loader thread; its `code` may not.
  if (TS_LOAD_ERROR.test(e.message)) return e.message.split('\n')[0];
  const frame = (e.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => /\(?((?:file:\/\/)?\/[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(l))
    .find((m) => m && !/[\\/](node_modules|harness\.js|tsLoader\.js)|^node:/.test(m[1]));
  return frame ? `${what} (at ${frame[1].replace(/^file:\/\//, '')}:${frame[2]})` : what;
}

async function main(): Promise<void> {
  const scenarioArg = process.argv[2];
  if (!scenarioArg) {
    report({ type: 'error', code: 'SCENARIO_INVALID', message: 'no scenario path given to the harness' });
    process.exit(3);
  }
  const scenarioPath = path.resolve(scenarioArg);
  let ns: Record<string, unknown>;
  try {
    ns = await dynamicImport(pathToFileURL(scenarioPath).href);
  } catch (e) {
    report({ type: 'error', code: 'SCENARIO_INVALID', message: `could not load scenario ${scenarioPath}: ${describeLoadError(e)}` });
    process.exit(3);
  }
  const action = pick(ns, 'action');
  const setup = pick(ns, 'setup');
  const back = pick(ns, 'back');
  if (!action) {
    report({ type: 'error', code: 'NOT_A_SCENARIO', message: `scenario ${scenarioPath} does not export an \`action\` function` });
    process.exit(3);
  }

  const api = Object.freeze({
    async setup(): Promise<void> {
      if (setup) await setup();
    },
    /** `n` units of work, each `action` then `back`. */
    async iterate(n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        await action();
        if (back) await back();
      }
    },
  });
  Object.defineProperty(globalThis, HARNESS_GLOBAL, { value: api, enumerable: false, configurable: false, writable: false });

  // Stay alive until the runner is done with us, and die with it: our stdin is a pipe
  // from the runner, which ends when it closes it or itself dies.
  process.stdin.on('data', () => undefined);
  process.stdin.on('end', () => process.exit(0));
  report({ type: 'ready' });
}

void main();
