// The debuggee's process as the runner sees it: its output, what its stderr says about how
// it ended (an exit code, running out of memory, an exit held up by our inspector session),
// and the one way we end it (its process group, then the processes it detached).

import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { InspectorError, abortError, isInspectorError } from './errors';
import { CONTROL_FD, HarnessMessage } from './harnessProtocol';
import { endStrays, StrayProcess } from './strays';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const KILL_WAIT_MS = 5_000;
/** How long a lost socket waits for the child's own exit before we call it a drop. */
export const EXIT_GRACE_MS = 500;
/**
 * The same for a child that said it is exiting (process.exit, the end of its work): it still
 * runs its exit and closes its inspector after our socket goes, which takes longer on a loaded
 * machine, and killing it first would report our kill instead of its exit code.
 */
export const EXITING_GRACE_MS = 3_000;
const STDERR_TAIL = 4096;
const STDIO_DRAIN_MS = 200;

/** The child process, its output, and the ways it can end. */
export class ChildProc {
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  /** Set when we sent the kill, so its exit is not mistaken for the cause of a failure. */
  private killedByUs = false;
  private exitSeen = false;
  private stderrTail = '';
  private spawnError: Error | undefined;
  /** V8's heap limit in the child (bytes), from the harness's ready message. */
  heapLimit: number | undefined;
  /** Node printed that it is exiting but waits for our inspector session to go first. */
  private exitingSeen = false;
  /** Called once when the child announces its exit while we are connected. */
  onExiting: (() => void) | undefined;
  strays: StrayProcess[] = [];

  constructor(
    readonly child: ChildProcess,
    private readonly token: string,
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
      // A process that ends (process.exit, the end of its work) while an inspector session is
      // attached stays alive until the session goes, so nothing would ever answer again.
      if (!this.exitingSeen && this.stderrTail.includes('Waiting for the debugger to disconnect')) {
        this.exitingSeen = true;
        this.onExiting?.();
      }
      this.onOutput?.('stderr', t);
    });
    child.stdin?.on('error', () => undefined); // EPIPE once the child is gone
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** How long to wait for the child's own exit once its socket is gone, before calling it a drop. */
  get exitGraceMs(): number {
    return this.exitingSeen ? EXITING_GRACE_MS : EXIT_GRACE_MS;
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
          if (typeof msg.heapLimit === 'number') this.heapLimit = msg.heapLimit;
          ready = true;
          check();
        }
      };
      const onAbort = () => done(abortError(signal!, 'starting the debuggee'));
      const timer = setTimeout(
        () =>
          done(
            new InspectorError(
              'SPAWN_FAILED',
              `the debuggee did not become ready within ${timeoutMs} ms${this.tail()}`,
            ),
          ),
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
      .filter(
        (l) =>
          !/^(Debugger listening on|For help, see:|Debugger attached\.|Waiting for the debugger)/.test(l),
      )
      .join('\n')
      .trim();
    return t ? `\n${t}` : '';
  }

  exitError(when: string): InspectorError {
    if (this.spawnError && this.child.pid === undefined) {
      return new InspectorError(
        'SPAWN_FAILED',
        `could not start ${this.child.spawnfile}: ${this.spawnError.message}`,
        { cause: this.spawnError },
      );
    }
    const e = this.exitInfo;
    if (this.outOfMemory()) {
      const limit = this.heapLimit
        ? ` (its heap limit is ${Math.round(this.heapLimit / 2 ** 20)} MB; raise it with NODE_OPTIONS=--max-old-space-size=MB)`
        : '';
      return new InspectorError(
        'DEBUGGEE_EXITED',
        `the debuggee (pid ${this.pid}) ran out of memory ${when}${limit}${this.tail()}`,
      );
    }
    const how = e?.signal ? `was killed by ${e.signal}` : `exited with code ${e?.code}`;
    const why = this.exitingSeen ? ' (the scenario ended its process, e.g. with process.exit())' : '';
    return new InspectorError(
      'DEBUGGEE_EXITED',
      `the debuggee (pid ${this.pid}) ${how} ${when}${why}${this.tail()}`,
    );
  }

  private outOfMemory(): boolean {
    return /JavaScript heap out of memory|Reached heap limit|Fatal process out of memory/.test(
      this.stderrTail,
    );
  }

  /** Resident memory of the child now (bytes; Linux), to say why an action may not finish. */
  residentBytes(): number | undefined {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Turn a DISCONNECTED into DEBUGGEE_EXITED when the real cause is the child's death
   * (the socket usually notices before the 'exit' event fires, hence the short wait).
   */
  async explain(e: unknown): Promise<unknown> {
    if (isInspectorError(e, 'TIMEOUT')) return this.explainTimeout(e);
    if (!isInspectorError(e, 'DISCONNECTED') && !isInspectorError(e, 'CONNECT_FAILED')) return e;
    const exited = await this.exitsWithin(this.exitGraceMs);
    return exited && !this.killedByUs ? this.exitError('while the hunt was running') : e;
  }

  /** A step that did not finish: say whether the child died meanwhile, or how big it had grown. */
  private async explainTimeout(e: InspectorError): Promise<InspectorError> {
    if (await this.exitsWithin(this.exitGraceMs))
      return this.killedByUs ? e : this.exitError('while the hunt was running');
    const rss = this.residentBytes();
    const limit = this.heapLimit;
    if (rss === undefined || limit === undefined || rss < limit * 0.8) return e;
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    return new InspectorError(
      'TIMEOUT',
      `${e.message}; the debuggee had grown to ${mb(rss)} with a heap limit of ${mb(limit)}, so it is probably running out of memory`,
      { cause: e },
    );
  }

  exitsWithin(ms: number): Promise<boolean> {
    return Promise.race([this.exited.then(() => true), delay(ms).then(() => false)]);
  }

  /**
   * Kill the whole process group, wait (bounded) for the exit, then end what the scenario
   * detached from the group (strays.ts).
   */
  async kill(): Promise<void> {
    this.child.stdin?.end();
    if (this.child.pid === undefined) {
      await this.exited;
      return;
    }
    if (!this.exitSeen) {
      this.killedByUs = true;
      try {
        if (process.platform === 'win32') this.child.kill('SIGKILL');
        else process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    } else if (process.platform !== 'win32') {
      // The harness is gone, but the rest of its group may not be.
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // nobody left in it
      }
    }
    await Promise.race([this.exited, delay(KILL_WAIT_MS)]);
    if (process.platform === 'linux') this.strays = endStrays(this.token);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
