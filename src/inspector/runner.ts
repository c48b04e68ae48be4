// Starts a scenario under the harness in a child `node --inspect=127.0.0.1:0`, connects
// to it, and offers the hunt's steps. The invariant: whatever happens (scenario error,
// cancel, child crash, dropped socket), the child is killed and the socket closed, and
// the caller gets one InspectorError saying why, within a bounded time.

import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CdpClient } from './cdp';
import { connect } from './connect';
import { InspectorError, abortError, isInspectorError } from './errors';
import { CONTROL_FD, HARNESS_GLOBAL, HarnessMessage, isTypeScriptFile } from './harnessProtocol';
import { ScriptRegistry } from './scripts';
import { HuntTarget, takeFinalSnapshot, takeProgramSnapshot, evaluateUnit, prepareDebuggee } from './target';
import * as heap from './snapshot';
import { DEFAULTS } from '../contracts/defaults';

export interface StartDebuggeeOptions {
  /**
   * Node binary. Default: process.execPath (inside VS Code that is Electron, run with
   * ELECTRON_RUN_AS_NODE=1; pass the user's `node` to hunt with their Node version).
   */
  nodePath?: string;
  /** Extra node flags, e.g. ['--expose-gc'] or ['--import', 'tsx']. */
  execArgv?: string[];
  /** Default: harness.js next to this file (dist/harness.js when bundled, out/src/inspector/harness.js under tsc). */
  harnessPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bound on spawn + scenario load + connect (ms). */
  startTimeoutMs?: number;
  /** Bound on setup, each warm-up batch, each iteration (ms). */
  iterationTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Aborting disposes the debuggee; pending calls reject with CANCELLED. */
  signal?: AbortSignal;
  /** The scenario's own stdout/stderr, for a log channel. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Debuggee extends HuntTarget {
  readonly pid: number;
  /** Settles when the child has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
}

export const DEFAULT_START_TIMEOUT_MS = DEFAULTS.startTimeoutMs;
export const DEFAULT_ITERATION_TIMEOUT_MS = DEFAULTS.iterationTimeoutMs;
const KILL_WAIT_MS = 5_000;
/** How long a lost socket waits for the child's own exit before we call it a drop. */
const EXIT_GRACE_MS = 500;
const STDERR_TAIL = 4096;
const STDIO_DRAIN_MS = 200;

export async function startDebuggee(scenarioPath: string, opts: StartDebuggeeOptions = {}): Promise<Debuggee> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal, 'starting the debuggee');
  const harness = opts.harnessPath ?? path.join(__dirname, 'harness.js');
  const { proc, url } = await spawnInspected(scenarioPath, [harness, path.resolve(scenarioPath)], opts, true);
  try {
    const client = await connect(url, { requestTimeoutMs: opts.requestTimeoutMs, signal });
    const d = new SpawnedDebuggee(proc, client, opts);
    await d.guard(() => prepareDebuggee(client, d.scripts));
    return d;
  } catch (e) {
    const err = await proc.explain(e); // before kill(), or every death would read "killed by SIGKILL"
    await proc.kill();
    throw err;
  }
}

/**
 * The one launcher: `node [execArgv] [TypeScript hook for `file`] --inspect=127.0.0.1:0 ...args` in its own process group
 * (so killing it takes down whatever it started), resolved with its inspector URL once it
 * listens and, under the harness, once the harness has loaded the scenario. On failure the
 * child is already killed.
 */
export async function spawnInspected(
  file: string, args: string[], opts: StartDebuggeeOptions, underHarness: boolean,
): Promise<{ proc: ChildProc; url: string }> {
  const node = [...(opts.execArgv ?? []), ...typeScriptPreload(file), '--inspect=127.0.0.1:0'];
  const child = spawn(opts.nodePath ?? process.execPath, [...node, ...args], {
    cwd: opts.cwd,
    env: childEnv(opts),
    // Harness: stdin ends when we close it or die, and the harness exits then, so the child
    // dies with us; fd 3 is its control channel. A program keeps an empty stdin.
    stdio: underHarness ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    // Own process group, so kill() also takes down anything the child spawned.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const proc = new ChildProc(child, opts.onOutput);
  try {
    const url = await proc.waitUntilReady(opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, opts.signal, underHarness);
    return { proc, url };
  } catch (e) {
    await proc.kill();
    throw e;
  }
}

/** The child process, its output, and the ways it can end. */
export class ChildProc {
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  /** Set when we sent the kill, so its exit is not mistaken for the cause of a failure. */
  private killedByUs = false;
  private exitSeen = false;
  private stderrTail = '';
  private spawnError: Error | undefined;

  constructor(
    readonly child: ChildProcess,
    private readonly onOutput?: (stream: 'stdout' | 'stderr', text: string) => void,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, sig) => {
        // 'exit' can come before the last stderr bytes (the error message we want to
        // show); 'close' comes after them, unless a grandchild holds the pipes open.
        const info = { code, signal: sig };
        this.exitSeen = true;
        const settle = () => resolve((this.exitInfo ??= info));
        child.once('close', settle);
        setTimeout(settle, STDIO_DRAIN_MS).unref();
      });
      child.once('error', (err) => {
        this.spawnError = err;
        if (child.pid === undefined) resolve((this.exitInfo = { code: null, signal: null }));
      });
    });
    child.stdout?.setEncoding('utf8').on('data', (t: string) => this.onOutput?.('stdout', t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => {
      this.stderrTail = (this.stderrTail + t).slice(-STDERR_TAIL);
      this.onOutput?.('stderr', t);
    });
    child.stdin?.on('error', () => undefined); // EPIPE once the child is gone
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolve with the inspector URL once it listens and (`awaitHarness`) the harness has loaded the scenario. */
  waitUntilReady(timeoutMs: number, signal?: AbortSignal, awaitHarness = true): Promise<string> {
    return new Promise((resolve, reject) => {
      let url: string | undefined;
      let ready = !awaitHarness;
      let stderrBuf = '';
      let ctlBuf = '';
      const control = this.child.stdio[CONTROL_FD] as Readable | null;
      const done = (err?: InspectorError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.child.stderr?.off('data', onStderr);
        control?.off('data', onControl);
        if (err) reject(err);
        else resolve(url!);
      };
      const check = () => {
        if (url && ready) done();
      };
      const onStderr = (t: string) => {
        stderrBuf += t;
        const m = /Debugger listening on (ws:\/\/\S+)/.exec(stderrBuf);
        if (m) {
          url = m[1];
          check();
        }
      };
      const onControl = (t: string) => {
        ctlBuf += t;
        let nl: number;
        while ((nl = ctlBuf.indexOf('\n')) >= 0) {
          const line = ctlBuf.slice(0, nl);
          ctlBuf = ctlBuf.slice(nl + 1);
          let msg: HarnessMessage;
          try {
            msg = JSON.parse(line) as HarnessMessage;
          } catch {
            continue;
          }
          if (msg.type === 'error') return done(new InspectorError(msg.code, msg.message));
          ready = true;
          check();
        }
      };
      const onAbort = () => done(abortError(signal!, 'starting the debuggee'));
      const timer = setTimeout(
        () => done(new InspectorError('SPAWN_FAILED', `the debuggee did not become ready within ${timeoutMs} ms${this.tail()}`)),
        timeoutMs,
      );
      this.child.stderr?.on('data', onStderr);
      control?.setEncoding('utf8').on('data', onControl);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.exited.then(() => done(this.exitError('before it was ready')));
      if (signal?.aborted) onAbort();
    });
  }

  tail(): string {
    const t = this.stderrTail
      .split('\n')
      .filter((l) => !/^(Debugger listening on|For help, see:|Debugger attached\.|Waiting for the debugger)/.test(l))
      .join('\n')
      .trim();
    return t ? `\n${t}` : '';
  }

  exitError(when: string): InspectorError {
    if (this.spawnError && this.child.pid === undefined) {
      return new InspectorError('SPAWN_FAILED', `could not start ${this.child.spawnfile}: ${this.spawnError.message}`, { cause: this.spawnError });
    }
    const e = this.exitInfo;
    const how = e?.signal ? `was killed by ${e.signal}` : `exited with code ${e?.code}`;
    return new InspectorError('DEBUGGEE_EXITED', `the debuggee (pid ${this.pid}) ${how} ${when}${this.tail()}`);
  }

  /**
   * Turn a DISCONNECTED into DEBUGGEE_EXITED when the real cause is the child's death
   * (the socket usually notices before the 'exit' event fires, hence the short wait).
   */
  async explain(e: unknown): Promise<unknown> {
    if (!isInspectorError(e, 'DISCONNECTED') && !isInspectorError(e, 'CONNECT_FAILED')) return e;
    const exited = await this.exitsWithin(EXIT_GRACE_MS);
    return exited && !this.killedByUs ? this.exitError('while the hunt was running') : e;
  }

  exitsWithin(ms: number): Promise<boolean> {
    return Promise.race([this.exited.then(() => true), delay(ms).then(() => false)]);
  }

  /** Kill the whole process group and wait (bounded) for the exit. */
  async kill(): Promise<void> {
    this.child.stdin?.end();
    if (this.exitSeen || this.child.pid === undefined) {
      await this.exited;
      return;
    }
    this.killedByUs = true;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
    await Promise.race([this.exited, delay(KILL_WAIT_MS)]);
  }
}

class SpawnedDebuggee implements Debuggee {
  readonly scripts = new ScriptRegistry();
  private disposing: Promise<void> | undefined;
  private readonly iterationTimeoutMs: number;
  private readonly offAbort: () => void;

  constructor(
    private readonly proc: ChildProc,
    readonly client: CdpClient,
    opts: StartDebuggeeOptions,
  ) {
    this.iterationTimeoutMs = opts.iterationTimeoutMs ?? DEFAULT_ITERATION_TIMEOUT_MS;
    // The child dying fails every pending request with the real reason at once.
    void proc.exited.then(() => client.close(proc.exitError('while the hunt was running')));
    // A dropped socket leaves nothing to drive the child with: kill it, but give a
    // dying child the chance to exit first so its death is reported, not our kill.
    client.onClose(() => void proc.exitsWithin(EXIT_GRACE_MS).then(() => this.dispose()));
    const onAbort = () => {
      client.close(abortError(opts.signal!, 'the leak hunt'));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    this.offAbort = () => opts.signal?.removeEventListener('abort', onAbort);
  }

  get pid(): number {
    return this.proc.pid;
  }

  get exited(): Promise<ExitInfo> {
    return this.proc.exited;
  }

  /** Run a step; on failure, explain it and take the debuggee down. */
  async guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (e) {
      const err = await this.proc.explain(e);
      await this.dispose();
      throw err;
    }
  }

  runSetup(): Promise<void> {
    return this.guard(() => evaluateUnit(this.client, `globalThis.${HARNESS_GLOBAL}.setup()`, this.iterationTimeoutMs, 'the scenario setup'));
  }

  runWarmup(k: number): Promise<void> {
    const n = Math.max(0, Math.floor(k));
    return this.guard(() => evaluateUnit(this.client, `globalThis.${HARNESS_GLOBAL}.iterate(${n})`, this.iterationTimeoutMs * Math.max(1, n), 'a warm-up iteration'));
  }

  runIteration(): Promise<void> {
    return this.guard(() => evaluateUnit(this.client, `globalThis.${HARNESS_GLOBAL}.iterate(1)`, this.iterationTimeoutMs, 'the scenario action'));
  }

  takeSnapshot(sink: heap.SnapshotSink, options?: heap.TakeSnapshotOptions): Promise<void> {
    return this.guard(() => takeProgramSnapshot(this.client, sink, options));
  }

  startTracking(allocations = true): Promise<void> {
    return this.guard(() => heap.startTracking(this.client, { trackAllocations: allocations }));
  }

  markObjectIds(signal?: AbortSignal): Promise<number> {
    return this.guard(() => heap.markObjectIds(this.client, { signal }));
  }

  takeFinalSnapshot(sink: heap.SnapshotSink, options?: heap.TakeSnapshotOptions): Promise<void> {
    return this.guard(() => takeFinalSnapshot(this.client, sink, options));
  }

  stopTracking(options?: heap.StopTrackingOptions): Promise<void> {
    return this.guard(() => heap.stopTracking(this.client, options));
  }

  dispose(): Promise<void> {
    // Killing the child ends tracking and any pause with it; no CDP needed.
    this.disposing ??= (async () => {
      this.offAbort();
      this.scripts.detach();
      this.client.close(this.client.closedBecause ?? new InspectorError('DISCONNECTED', 'the debuggee was disposed'));
      await this.proc.kill();
    })();
    return this.disposing;
  }
}

/**
 * A TypeScript scenario or program runs through the TypeScript hook shipped beside the harness
 * (tsLoader.js): transpiled on load, with inline source maps, no build step.
 */
export function typeScriptPreload(file: string): string[] {
  // Beside this code: dist/ when bundled, out/src/inspector/ under tsc.
  return isTypeScriptFile(file) ? ['--require', path.join(__dirname, 'tsLoader.js')] : [];
}

/**
 * Inside VS Code, process.execPath is Electron; it behaves as node (and accepts
 * --inspect) only with ELECTRON_RUN_AS_NODE set.
 */
function childEnv(opts: StartDebuggeeOptions): NodeJS.ProcessEnv {
  const env = { ...(opts.env ?? process.env) };
  if (!opts.nodePath && process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
