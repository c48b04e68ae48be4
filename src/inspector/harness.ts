// Runs inside the debuggee: `node --inspect=127.0.0.1:0 harness.js <scenario>`.
// Bundled to dist/harness.js; keep it dependency-free.
//
// It loads the scenario, then waits to be driven over CDP through
// `globalThis.__heaplens`. Everything the harness owns is allocated before the runner
// takes its baseline snapshot and never grows afterwards (no per-iteration state, no
// result objects: the runner evaluates with returnByValue), so it cannot look like a
// leak. Control messages go to fd 3, keeping the scenario's stdout/stderr its own.

import asyncHooks from 'node:async_hooks';
import fs from 'node:fs';
import inspector from 'node:inspector';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import {
  CONTROL_FD,
  HARNESS_GLOBAL,
  FinishResult,
  FramedResult,
  HarnessMessage,
  ITERATION_FRAME,
  SNAPSHOT_WRITE_ERROR,
  TS_LOAD_ERROR,
  WatchData,
} from './harnessProtocol';
import { endStrays, HUNT_TOKEN_VAR } from './strays';

type Fn = () => unknown;

/**
 * V8's own console, not Node's: its clear() empties the store of console calls the inspector keeps
 * for a future Runtime.enable (what Runtime.discardConsoleEntries does), and writes nothing to the
 * program's terminal. Taken before the scenario loads, which may replace the globals.
 */
const inspectorConsole = inspector.console;

/** The harness's keep-alive timer callback (see main). */
function stayAlive(): void {}

/**
 * Set when a watched unit made an async resource: a promise, timer, immediate, tick, microtask
 * or request (async_hooks' init sees each as it is made). Such a unit's work goes on after it
 * returns, outside its iteration's frame and in the event loop's turns between units, so its
 * iterations cannot run in one evaluation (see framed).
 */
let madeAsync = false;
const asyncWatch = asyncHooks.createHook({
  init: () => {
    madeAsync = true;
  },
});

function isThenable(r: unknown): boolean {
  return typeof (r as { then?: unknown } | null)?.then === 'function';
}

/** Runs `fn` with the watch on: its value, and whether it made no async resource and returned no promise. */
function watched(fn: Fn): { value: unknown; pure: boolean } {
  madeAsync = false;
  asyncWatch.enable();
  try {
    const value = fn();
    return { value, pure: !madeAsync && !isThenable(value) };
  } catch (e) {
    throw asError(e);
  } finally {
    asyncWatch.disable();
  }
}

/**
 * The k-th iteration frame: a function of its own (its own source, so its own
 * SharedFunctionInfo and its own name in V8's allocation traces) that runs one unit.
 */
const frames: ((unit: () => void) => void)[] = [];
function frameOf(k: number): (unit: () => void) => void {
  while (frames.length < k) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed body, no input in it
    const make = new Function(`return function ${ITERATION_FRAME}${frames.length + 1}(unit) { unit(); };`);
    frames.push(make() as (unit: () => void) => void);
  }
  return frames[k - 1];
}

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
const dynamicImport = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<Record<string, unknown>>;

function pick(ns: Record<string, unknown>, name: string): Fn | undefined {
  const direct = ns[name];
  if (typeof direct === 'function') return direct as Fn;
  // CommonJS through import(): module.exports is `default` when the lexer missed a name.
  const def = ns.default as Record<string, unknown> | undefined;
  const viaDefault = def && (typeof def === 'object' || typeof def === 'function') ? def[name] : undefined;
  return typeof viaDefault === 'function' ? (viaDefault as Fn) : undefined;
}

/**
 * Thrown values CDP cannot show well: `throw undefined` reads as "Uncaught (in promise)" and a
 * thrown Symbol cannot be returned by value at all. An Error is passed on as a plain copy with
 * its message and stack (what the runner shows): the runner asks for results by value, and an
 * error whose own fields lead back to it (an HTTP client's `err.request.error`) cannot be sent
 * that way; V8 would answer "Object reference chain is too long" instead of the error.
 */
function asError(e: unknown): unknown {
  if (e instanceof Error) {
    const copy = new Error(e.message);
    Object.defineProperty(copy, 'stack', { value: e.stack ?? `${e.name}: ${e.message}` });
    return copy;
  }
  let shown: string;
  try {
    shown = typeof e === 'symbol' ? e.toString() : typeof e === 'string' ? JSON.stringify(e) : String(e);
  } catch {
    shown = Object.prototype.toString.call(e);
  }
  return new Error(
    `threw ${typeof e === 'object' && e !== null ? 'an object' : typeof e === 'undefined' ? 'the value' : `a ${typeof e}`} ${shown} (not an Error, so there is no stack)`,
  );
}

/** Runs `fn`; resolves whether it finished without handing back a promise (see iterate). */
async function guarded(fn: Fn): Promise<boolean> {
  try {
    const r = fn();
    if (typeof (r as { then?: unknown } | null)?.then !== 'function') return true;
    await r;
    return false;
  } catch (e) {
    throw asError(e);
  }
}

function writeSnapshot(pipe: string, exposeNumericValues: boolean): void {
  try {
    v8.writeHeapSnapshot(pipe, { exposeNumericValues });
  } catch (e) {
    // Told apart from the scenario's own errors by its name (target.ts finishWithSnapshot).
    throw Object.assign(new Error(`writing the heap snapshot failed: ${(e as Error).message}`), {
      name: SNAPSHOT_WRITE_ERROR,
    });
  }
}

/**
 * The debuggee must die with its hunt however the hunt ends. Its main thread may be stuck in
 * the scenario (a busy loop never lets stdin's 'end' be read), so a worker thread watches:
 * the runner's end of our stdin closing (it dies, or disposes us) and our parent changing
 * (re-parented when the runner is killed). Then it ends the processes the scenario left
 * (see strays.ts), our process group and us.
 */
function startWatch(): void {
  // Only under the runner, whose stdin pipe is a socket (run by hand, fd 0 is a terminal).
  try {
    const st = fs.fstatSync(0);
    if (!st.isSocket() && !st.isFIFO()) return;
  } catch {
    return;
  }
  const data: WatchData = {
    heaplensWatch: true,
    parentPid: process.ppid,
    token: process.env[HUNT_TOKEN_VAR],
  };
  try {
    const w = new Worker(__filename, {
      workerData: data,
      stdin: false,
      stdout: false,
      stderr: false,
      env: {},
    });
    w.unref();
    w.on('error', () => undefined);
  } catch {
    // No worker threads: the main thread's stdin watch below still covers the usual cases.
  }
}

function watch(data: WatchData): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    if (data.token) endStrays(data.token);
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // not a group leader (started by hand)
    }
    process.kill(process.pid, 'SIGKILL');
  };
  // Our own handle on fd 0 (the main thread never reads it: see main()).
  const lifeline = new net.Socket({ fd: 0, readable: true, writable: false });
  lifeline.on('data', () => undefined);
  lifeline.on('end', end);
  lifeline.on('error', end);
  setInterval(() => {
    if (process.ppid !== data.parentPid) end();
  }, 250);
}

/**
 * One line for a scenario that failed to load: what failed and where in the user's code, never
 * Node's internal stack (the TypeScript hook's own errors already read `file:line:col: what`).
 */
export function describeLoadError(e: unknown): string {
  if (!(e instanceof Error))
    return `it threw ${typeof e === 'symbol' ? e.toString() : (JSON.stringify(e) ?? String(e))}`;
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
    report({
      type: 'error',
      code: 'SCENARIO_INVALID',
      message: `could not load scenario ${scenarioPath}: ${describeLoadError(e)}`,
    });
    process.exit(3);
  }
  const action = pick(ns, 'action');
  const setup = pick(ns, 'setup');
  const back = pick(ns, 'back');
  if (!action) {
    report({
      type: 'error',
      code: 'NOT_A_SCENARIO',
      message: `scenario ${scenarioPath} does not export an \`action\` function`,
    });
    process.exit(3);
  }

  /**
   * `n` units of work, each `action` then `back`. Resolves true when none returned a promise:
   * then no timer task of the event loop (V8's heap-stats push) can have run in the middle.
   */
  const iterate = async (n: number): Promise<boolean> => {
    let synchronous = true;
    for (let i = 0; i < n; i++) {
      if (!(await guarded(action))) synchronous = false;
      if (back && !(await guarded(back))) synchronous = false;
    }
    return synchronous;
  };
  /** Every warm-up so far made no async resource and returned no promise (see warm). */
  let pureSoFar = true;
  /**
   * `action` then `back` as iterate runs them, each watched while it runs (not after: a unit
   * that made a promise is not pure, whatever the promise does later). Resolves whether both
   * were pure; a pure unit never yields, so it runs within the caller's frame.
   */
  const watchedUnit = async (): Promise<boolean> => {
    const a = watched(action);
    if (!a.pure) await guarded(() => a.value);
    if (!back) return a.pure;
    if (!a.pure) {
      await guarded(back);
      return false;
    }
    const b = watched(back);
    if (!b.pure) await guarded(() => b.value);
    return b.pure;
  };
  const api = Object.freeze({
    async setup(): Promise<void> {
      if (setup) await guarded(setup);
    },
    iterate,
    /**
     * One warm-up unit, watched while it runs (not after: a unit that makes a promise is not
     * pure, whatever the promise does later, and the watch's promise tracking would cost it).
     * Resolves whether every warm-up so far was pure, which framed requires.
     */
    async warm(): Promise<boolean> {
      const pure = await watchedUnit();
      pureSoFar &&= pure;
      return pureSoFar;
    },
    /**
     * The hunt's `n` iterations in this one evaluation, the k-th inside iteration frame k, then
     * the console entries dropped and the snapshot written into `pipe`: no heap-stats push can
     * run between them, and allocation tracking names each object's iteration (src/core/leaks/
     * births.ts). Only after pure warm-ups, and each unit is watched again: the first that makes
     * an async resource ends the run there, without a snapshot (the hunt then starts over with
     * its marks, these units counting as more warm-up).
     */
    async framed(n: number, pipe: string, exposeNumericValues: boolean): Promise<FramedResult> {
      if (!pureSoFar) return { done: 0, pure: false, written: false };
      for (let k = 1; k <= n; k++) frameOf(k);
      for (let k = 1; k <= n; k++) {
        let unit: Promise<boolean> = Promise.resolve(true);
        frames[k - 1](() => {
          unit = watchedUnit();
        });
        // A pure unit has already run to its end inside the frame; an impure one goes on here.
        if (!(await unit)) {
          pureSoFar = false;
          return { done: k, pure: false, written: false };
        }
      }
      inspectorConsole.clear();
      writeSnapshot(pipe, exposeNumericValues);
      return { done: n, pure: true, written: true };
    },
    /**
     * The hunt's last unit of work, then the console entries dropped and the heap snapshot
     * written into `pipe` (src/inspector/pipeSnapshot.ts) as soon as the unit has settled: in
     * the same run of microtasks, so no timer task (a heap-stats push, a full GC and heap walk)
     * runs between them. Separate CDP commands could not do this: the inspector runs the
     * commands it has queued one after another before any microtask (docs/v8-facts.md).
     * With `onlyIfSynchronous`, a unit that returned a promise (a timer task may have run in its
     * middle) is left without a snapshot, and the pipe unopened.
     */
    async finish(
      pipe: string,
      exposeNumericValues: boolean,
      onlyIfSynchronous: boolean,
    ): Promise<FinishResult> {
      const synchronous = await iterate(1);
      if (onlyIfSynchronous && !synchronous) return { synchronous, written: false };
      inspectorConsole.clear();
      writeSnapshot(pipe, exposeNumericValues);
      return { synchronous, written: true };
    },
  });
  Object.defineProperty(globalThis, HARNESS_GLOBAL, {
    value: api,
    enumerable: false,
    configurable: false,
    writable: false,
  });

  // Stay alive until the runner is done with us, and die with it: our stdin is a pipe from
  // the runner, which ends when it closes it or itself dies. The watch thread reads it.
  // The timer's callback is defined outside main(): a closure made here would share main's
  // scope, which holds the scenario's functions, and give every leak a path through the
  // harness (a timer → `action` → the scenario) that the hunt would show instead of the user's.
  setInterval(stayAlive, 1 << 30);
  report({ type: 'ready', heapLimit: v8.getHeapStatistics().heap_size_limit });
}

if (isMainThread) {
  startWatch();
  void main();
} else if ((workerData as WatchData | undefined)?.heaplensWatch) {
  watch(workerData as WatchData);
}
