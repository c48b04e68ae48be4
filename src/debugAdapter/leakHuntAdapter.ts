// The `heaplens` debug type: a leak hunt as a debug session. `launch` hunts a scenario
// module (or starts a program under the inspector and repeats an expression or a loopback
// request in it); `attach` hunts in any `node --inspect` process. The hunt runs in a worker
// thread; the session reports it with DAP progress events and Debug Console output, pauses
// between iterations, and leaves nothing running when it ends.

import { chooseNode, describeNodeChoice } from '../inspector/nodeRuntime';
import {
  ContinuedEvent,
  DebugSession,
  Event,
  InitializedEvent,
  OutputEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  ProgressUpdateEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import path from 'node:path';
import type { HuntSpec, WorkSpec } from '../contracts/hunt';
import { DEFAULTS } from '../contracts/defaults';
import { HuntWorker, startHuntWorker } from '../hunt/client';
import { renderReport } from '../hunt/render';

export interface HeapLensLaunchArgs extends DebugProtocol.LaunchRequestArguments {
  /** A scenario module exporting `action` (and optionally `setup`, `back`). */
  scenario?: string;
  /** Or a program to start under the inspector, with a unit of work to repeat in it. */
  program?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  action?: string;
  url?: string;
  iterations?: number;
  trackAllocations?: boolean;
  nodePath?: string;
}

export interface HeapLensAttachArgs extends DebugProtocol.AttachRequestArguments {
  address?: string;
  port: number;
  action?: string;
  url?: string;
  iterations?: number;
  trackAllocations?: boolean;
}

const THREAD = 1;
const PROGRESS = 'heaplens-hunt';

export class LeakHuntAdapter extends DebugSession {
  private worker: HuntWorker | null = null;
  private progressReported = false;
  private ended = false;
  /** Settles when the hunt in flight has finished or has cleaned up after an abort. */
  private hunting: Promise<void> = Promise.resolve();

  constructor(private readonly huntWorkerPath = path.join(__dirname, 'huntWorker.js')) {
    super();
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.progressReported = args.supportsProgressReporting === true;
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override async launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: HeapLensLaunchArgs,
  ): Promise<void> {
    const base = {
      iterations: args.iterations ?? DEFAULTS.iterations,
      trackAllocations: args.trackAllocations ?? DEFAULTS.trackAllocations,
    };
    try {
      const node = chooseNode(args.nodePath ?? '');
      this.sendEvent(new OutputEvent(`Heap Lens: running with ${describeNodeChoice(node)}\n`, 'console'));
      if (args.scenario) {
        this.sendResponse(response);
        await this.run({
          ...base,
          target: { kind: 'scenario', scenario: path.resolve(args.cwd ?? '', args.scenario) },
          cwd: args.cwd,
          env: args.env,
          nodePath: node.path,
        });
        return;
      }
      if (!args.program)
        throw new Error(
          'launch needs "scenario" (a module exporting action) or "program" with "action" or "url"',
        );
      const work = unitOfWork(args.action, args.url);
      this.sendResponse(response);
      // The hunt worker starts the program with the one launcher and kills it when the hunt ends.
      await this.run({
        ...base,
        target: {
          kind: 'program',
          program: path.resolve(args.cwd ?? '', args.program),
          args: args.args ?? [],
          work,
        },
        cwd: args.cwd,
        env: args.env,
        nodePath: node.path,
      });
    } catch (e) {
      this.fail(response, e);
    }
  }

  protected override async attachRequest(
    response: DebugProtocol.AttachResponse,
    args: HeapLensAttachArgs,
  ): Promise<void> {
    try {
      const work = unitOfWork(args.action, args.url);
      this.sendResponse(response);
      await this.run({
        iterations: args.iterations ?? DEFAULTS.iterations,
        trackAllocations: args.trackAllocations ?? DEFAULTS.trackAllocations,
        target: { kind: 'attach', host: args.address ?? '127.0.0.1', port: args.port, work },
      });
    } catch (e) {
      this.fail(response, e);
    }
  }

  private async run(spec: HuntSpec): Promise<void> {
    const worker = startHuntWorker(this.huntWorkerPath, (p) => {
      if (!this.progressReported) return;
      // The adapter library types body as { progressId } only; DAP's event also has percentage.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      const update = new ProgressUpdateEvent(PROGRESS, p.message) as DebugProtocol.ProgressUpdateEvent;
      if (p.total > 0) update.body.percentage = Math.round((100 * p.done) / p.total);
      this.sendEvent(update);
    });
    worker.onOutput = (text) => this.sendEvent(new OutputEvent(text, 'stdout'));
    this.worker = worker;
    if (this.progressReported)
      this.sendEvent(new ProgressStartEvent(PROGRESS, 'Heap Lens: finding leaks', 'starting'));
    this.sendEvent(
      new OutputEvent(`Heap Lens: hunting leaks over ${spec.iterations} iterations…\n`, 'console'),
    );
    const hunting = worker.api.hunt(spec);
    this.hunting = hunting.then(
      () => undefined,
      () => undefined,
    );
    try {
      const outcome = await hunting;
      this.sendEvent(new OutputEvent(renderReport(outcome.report, spec.iterations) + '\n', 'console'));
      // The extension opens the result panel from this event; other clients may ignore it.
      this.sendEvent(new Event('heaplens.report', outcome));
    } catch (e) {
      if (!this.ended)
        this.sendEvent(
          new OutputEvent(`Heap Lens: ${e instanceof Error ? e.message : String(e)}\n`, 'stderr'),
        );
    } finally {
      if (this.progressReported) this.sendEvent(new ProgressEndEvent(PROGRESS));
      await this.end();
    }
  }

  /** Stops everything this session started; safe to call more than once. */
  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const worker = this.worker;
    this.worker = null;
    worker?.signal.abort();
    // The hunt stops tracking and kills its debuggee on abort; wait for that (bounded), then
    // stop the thread itself.
    await Promise.race([this.hunting, new Promise((r) => setTimeout(r, 10_000).unref())]);
    await worker?.dispose();
    this.sendEvent(new TerminatedEvent());
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD, 'Leak hunt')] };
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.worker?.signal.pause();
    this.sendResponse(response);
    this.sendEvent(new StoppedEvent('pause', THREAD));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.worker?.signal.resume();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.sendEvent(new ContinuedEvent(THREAD, true));
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    response.body = { stackFrames: [], totalFrames: 0 };
    this.sendResponse(response);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.end();
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.end();
    this.sendResponse(response);
  }

  private fail(response: DebugProtocol.Response, e: unknown): void {
    this.sendErrorResponse(response, {
      id: 1001,
      format: `Heap Lens: ${e instanceof Error ? e.message : String(e)}`,
      showUser: true,
    });
    void this.end();
  }
}

function unitOfWork(action: string | undefined, url: string | undefined): WorkSpec {
  if (action && !url) return { kind: 'evaluate', expression: action };
  if (url && !action) return { kind: 'http', url };
  throw new Error(
    'give exactly one unit of work: "action" (an expression to evaluate) or "url" (a loopback URL to request)',
  );
}
