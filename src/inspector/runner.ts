// Starts a scenario under the harness in a child `node --inspect=127.0.0.1:0`, connects
// to it, and offers the hunt's steps. The invariant: whatever happens (scenario error,
// cancel, child crash, dropped socket), the child is killed and the socket closed, and
// the caller gets one InspectorError saying why, within a bounded time.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CdpClient } from './cdp';
import { connect } from './connect';
import { DEFAULTS } from '../contracts/defaults';
import { ChildProc, ExitInfo } from './debuggeeProcess';
import { InspectorError, abortError } from './errors';
import { HARNESS_GLOBAL, isTypeScriptFile } from './harnessProtocol';
import { ScriptRegistry } from './scripts';
import {
  HuntTarget,
  LastUnit,
  LastUnitOptions,
  UnitDone,
  finishWithSnapshot,
  framedWithSnapshot,
  FramedOptions,
  FramedRun,
  takeFinalSnapshot,
  takeProgramSnapshot,
  evaluateUnit,
  prepareDebuggee,
  announceScripts,
} from './target';
import * as heap from './snapshot';
import { countNotedContainers, noteContainers, readContainerNote } from './containerNote';
import { markObjectIds, ObjectMark } from './marks';
import { HUNT_TOKEN_VAR, StrayProcess } from './strays';

export type { ExitInfo } from './debuggeeProcess';

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
  /** Bound on setup and on each action, warm-ups included (ms). Default DEFAULT_ACTION_TIMEOUT_MS. */
  iterationTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Aborting disposes the debuggee; pending calls reject with CANCELLED. */
  signal?: AbortSignal;
  /** The scenario's own stdout/stderr, for a log channel. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface Debuggee extends HuntTarget {
  readonly pid: number;
  /** Settles when the child has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** After dispose(): processes the scenario left running (detached children) that were ended. */
  readonly strays: readonly StrayProcess[];
}

export const DEFAULT_START_TIMEOUT_MS = DEFAULTS.startTimeoutMs;
/** Bound on the round trip before we let an exiting debuggee go: it answers at once while it waits for us. */
const EXITING_FLUSH_MS = 2_000;
/** Setup and each action, warm-ups included (why this value: contracts/defaults.ts). */
export const DEFAULT_ACTION_TIMEOUT_MS = DEFAULTS.iterationTimeoutMs;

export async function startDebuggee(
  scenarioPath: string,
  opts: StartDebuggeeOptions = {},
): Promise<Debuggee> {
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal, 'starting the debuggee');
  const harness = opts.harnessPath ?? path.join(__dirname, 'harness.js');
  const { proc, url } = await spawnInspected(scenarioPath, [harness, path.resolve(scenarioPath)], opts, true);
  try {
    const client = await connect(url, { requestTimeoutMs: opts.requestTimeoutMs, signal });
    const d = new SpawnedDebuggee(proc, client, opts);
    await d.guard(() => prepareDebuggee(client, d.scripts, { scripts: 'later' }));
    return d;
  } catch (e) {
    const err = await proc.explain(e); // before kill(), or every death would read "killed by SIGKILL"
    await proc.kill();
    throw err;
  }
}

/**
 * The one launcher: `node [execArgv] [TypeScript hook for file] --inspect=127.0.0.1:0 ...args` in
 * its own process group (so killing it takes down whatever it started), every process of it
 * marked with a token in its environment (strays.ts finds the detached ones), resolved with its
 * inspector URL once it listens and, under the harness, once the harness has loaded the
 * scenario. On failure the child is already killed.
 */
export async function spawnInspected(
  file: string,
  args: string[],
  opts: StartDebuggeeOptions,
  underHarness: boolean,
): Promise<{ proc: ChildProc; url: string }> {
  const token = randomBytes(12).toString('hex');
  const node = [...(opts.execArgv ?? []), ...typeScriptPreload(file), '--inspect=127.0.0.1:0'];
  const child = spawn(opts.nodePath ?? process.execPath, [...node, ...args], {
    cwd: opts.cwd,
    env: { ...childEnv(opts), [HUNT_TOKEN_VAR]: token },
    // Harness: stdin ends when we close it or die, and the harness exits then, so the child
    // dies with us; fd 3 is its control channel. A program keeps an empty stdin.
    stdio: underHarness ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    // Own process group, so kill() also takes down anything the child spawned.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const proc = new ChildProc(child, token, opts.onOutput);
  try {
    const url = await proc.waitUntilReady(
      opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      opts.signal,
      underHarness,
    );
    return { proc, url };
  } catch (e) {
    const err = await proc.explain(e); // before kill(), or every death would read "killed by SIGKILL"
    await proc.kill();
    throw err;
  }
}

class SpawnedDebuggee implements Debuggee {
  readonly scripts = new ScriptRegistry();
  private disposing: Promise<void> | undefined;
  private readonly iterationTimeoutMs: number;
  private readonly offAbort: () => void;
  /** Warm-ups ran and none made an async resource (runFramed's condition). */
  private pureWarmups = false;

  constructor(
    private readonly proc: ChildProc,
    readonly client: CdpClient,
    opts: StartDebuggeeOptions,
  ) {
    this.iterationTimeoutMs = opts.iterationTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    // The child dying fails every pending request with the real reason at once.
    void proc.exited.then(() => client.close(proc.exitError('while the hunt was running')));
    // Exiting, but held up by our session: let it go, so its exit code can be reported. Not
    // before what it has sent us has arrived (one round trip): Node 20 can crash with SIGSEGV
    // when its inspector sends while it reads the end of our socket (docs/v8-facts.md), and the
    // report would then say "killed by SIGSEGV" of a scenario that exited with its own code.
    proc.onExiting = () =>
      void client
        .flush(EXITING_FLUSH_MS)
        .then(() => client.close(new InspectorError('DISCONNECTED', 'the debuggee is exiting')));
    // A dropped socket leaves nothing to drive the child with: kill it, but give a
    // dying child the chance to exit first so its death is reported, not our kill.
    client.onClose(() => void proc.exitsWithin(proc.exitGraceMs).then(() => this.dispose()));
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

  get strays(): readonly StrayProcess[] {
    return this.proc.strays;
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

  async runSetup(): Promise<void> {
    await this.guard(() =>
      evaluateUnit(
        this.client,
        `globalThis.${HARNESS_GLOBAL}.setup()`,
        this.iterationTimeoutMs,
        'the scenario setup',
      ),
    );
  }

  /**
   * One evaluation per warm-up, each with the action's own bound: a hung first one fails in one
   * timeout. Each is watched for async resources (harness.ts warm): runFramed needs them pure.
   */
  async runWarmup(k: number): Promise<void> {
    const n = Math.max(0, Math.floor(k));
    for (let i = 1; i <= n; i++) {
      const { value } = await this.guard(() =>
        evaluateUnit(
          this.client,
          `globalThis.${HARNESS_GLOBAL}.warm()`,
          this.iterationTimeoutMs,
          `warm-up ${i} of the scenario action`,
        ),
      );
      this.pureWarmups = value === true;
    }
  }

  async runIteration(): Promise<UnitDone> {
    const { seq, value } = await this.guard(() =>
      evaluateUnit(
        this.client,
        `globalThis.${HARNESS_GLOBAL}.iterate(1)`,
        this.iterationTimeoutMs,
        'the scenario action',
      ),
    );
    return { seq, synchronous: value === true };
  }

  takeSnapshot(sink: heap.SnapshotSink, options?: heap.TakeSnapshotOptions): Promise<void> {
    return this.guard(() => takeProgramSnapshot(this.client, sink, options));
  }

  startTracking(allocations = true, onSent?: () => void): Promise<void> {
    return this.guard(() => heap.startTracking(this.client, { trackAllocations: allocations, onSent }));
  }

  markObjectIds(signal?: AbortSignal): Promise<ObjectMark> {
    // Every unit of work here is an evaluation: the first push after its answer is the mark.
    return this.guard(() => markObjectIds(this.client, { signal, afterUnit: true }));
  }

  noteContainers(): Promise<void> {
    return this.guard(() => noteContainers(this.client));
  }

  countNotedContainers(): Promise<void> {
    return this.guard(() => countNotedContainers(this.client));
  }

  readContainerNote(): Promise<number[]> {
    return this.guard(() => readContainerNote(this.client));
  }

  takeFinalSnapshot(sink: heap.ByteSnapshotSink, options?: heap.TakeSnapshotOptions): Promise<void> {
    return this.guard(() => takeFinalSnapshot(this.client, sink, { ...options, local: true }));
  }

  runLastIteration(sink: heap.ByteSnapshotSink, options: LastUnitOptions): Promise<LastUnit | null> {
    return this.guard(() => finishWithSnapshot(this.client, sink, options, this.iterationTimeoutMs));
  }

  runFramed(n: number, sink: heap.ByteSnapshotSink, options: FramedOptions): Promise<FramedRun | null> {
    if (!this.pureWarmups) return Promise.resolve(null);
    options.onStart?.();
    return this.guard(() => framedWithSnapshot(this.client, n, sink, options, this.iterationTimeoutMs));
  }

  stopTracking(options?: heap.StopTrackingOptions): Promise<void> {
    return this.guard(() => heap.stopTracking(this.client, options));
  }

  endTracking(): Promise<void> {
    return heap.endTracking(this.client);
  }

  announceScripts(): Promise<void> {
    return this.guard(() => announceScripts(this.client));
  }

  dispose(): Promise<void> {
    // Killing the child ends tracking and any pause with it; no CDP needed.
    this.disposing ??= (async () => {
      this.offAbort();
      this.scripts.detach();
      this.client.close(
        this.client.closedBecause ?? new InspectorError('DISCONNECTED', 'the debuggee was disposed'),
      );
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
