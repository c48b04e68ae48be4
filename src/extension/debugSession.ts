// Heap Lens inside a Node debug session run by VS Code's JavaScript debugger: reached
// through js-debug's CDP proxy. Two things: "Why is this alive?" on a variable or a
// selection while paused, and a live hunt (a start mark now, a mark when the person asks, one
// snapshot and the analysis after three marks). The heavy work runs in the hunt worker.

import * as vscode from 'vscode';
import type { HuntOutcome, InspectorAddress } from '../contracts/hunt';
import { isCancelled, RemoteError } from '../contracts/errors';
import { HuntWorker, startHuntWorker } from '../hunt/client';
import { WebviewHost } from './webviewHost';
import { huntWorkerPath, openReportPanel, HuntContext } from './findLeaks';
import { settings } from './settings';
import { webviewHtml, webviewOptions } from './webviewContent';

const NODE_DEBUG_TYPES = new Set(['pwa-node', 'node', 'node-terminal']);
/** Where the object under question is parked for a moment, to reach it from CDP. */
const PARKING = '__heaplensWhy';

export function nodeDebugSession(): vscode.DebugSession | undefined {
  const s = vscode.debug.activeDebugSession;
  return s && NODE_DEBUG_TYPES.has(s.type) ? s : undefined;
}

export async function proxyAddress(session: vscode.DebugSession): Promise<InspectorAddress> {
  const proxy = await vscode.commands.executeCommand<{ host: string; port: number; path?: string }>(
    'extension.js-debug.requestCDPProxy',
    session.id,
  );
  if (!proxy) throw new Error('the JavaScript debugger did not give a CDP connection for this session');
  return { viaJsDebugProxy: true, host: proxy.host, port: proxy.port, path: proxy.path };
}

interface VariableContext {
  variable?: { evaluateName?: string; name?: string };
  container?: unknown;
}

/** "Why is this alive?" on a Variables-view entry, or on the editor selection while paused. */
export async function whyIsThisAliveCommand(ctx: HuntContext, arg?: VariableContext): Promise<void> {
  const session = nodeDebugSession();
  if (!session) {
    void vscode.window.showErrorMessage('Heap Lens: "Why is this alive?" needs a paused Node debug session.');
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const expression =
    arg?.variable?.evaluateName ??
    (editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined);
  if (!expression) {
    void vscode.window.showErrorMessage(
      'Heap Lens: choose a variable in the Variables view, or select an expression in the editor.',
    );
    return;
  }
  const frameId =
    vscode.debug.activeStackItem instanceof vscode.DebugStackFrame
      ? vscode.debug.activeStackItem.frameId
      : undefined;
  const worker = startHuntWorker(huntWorkerPath(ctx));
  try {
    const id = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Heap Lens: why is ${expression} alive?`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => void worker.cancel());
        progress.report({ message: 'finding the object' });
        // Evaluate in the paused frame (locals are only visible there), parked in a global
        // that is removed again before the snapshot.
        await session.customRequest('evaluate', {
          expression: `globalThis.${PARKING} = (${expression})`,
          frameId,
          context: 'repl',
        });
        progress.report({ message: 'taking a snapshot' });
        const answer = await worker.api.whyIsThisAlive(
          await proxyAddress(session),
          `globalThis.${PARKING}`,
          undefined,
          `delete globalThis.${PARKING}`,
        );
        return answer.id;
      },
    );
    const panel = vscode.window.createWebviewPanel(
      'heaplens.why',
      `Why is ${expression} alive?`,
      vscode.ViewColumn.Beside,
      {
        ...webviewOptions(ctx.extensionUri),
        retainContextWhenHidden: true,
      },
    );
    // The paused frame's function, for "it is collected when `main` returns".
    const item = vscode.debug.activeStackItem;
    const frame =
      item instanceof vscode.DebugStackFrame
        ? await session
            .customRequest('stackTrace', { threadId: item.threadId, startFrame: 0, levels: 1 })
            .then(
              (r: { stackFrames?: { name?: string }[] }) => r.stackFrames?.[0]?.name,
              () => undefined,
            )
        : undefined;
    const host = new WebviewHost(
      panel.webview,
      worker.api,
      {
        kind: 'object',
        id,
        title: `Why is ${expression} alive?`,
        paused: true,
        frame: typeof frame === 'string' ? frame : undefined,
      },
      ctx.log,
    );
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri);
    panel.onDidDispose(() => {
      host.dispose();
      void worker.dispose();
    });
  } catch (e) {
    await worker.dispose();
    const message = e instanceof Error ? e.message : String(e);
    ctx.log.appendLine(`Why is this alive failed: ${message}`);
    if (!isCancelled(e)) void vscode.window.showErrorMessage(`Heap Lens: ${message.split('\n')[0]}`);
  }
}

/** Leaks allocated in `file` first (their relative order kept), targets reordered alike. */
function firstFrom(outcome: HuntOutcome, file: string | undefined): HuntOutcome {
  if (!file) return outcome;
  const order = outcome.report.leaks.map((leak, i) => ({
    leak,
    target: outcome.targets[i],
    own: leak.allocationSites.some((s) => s.path === file),
  }));
  order.sort((x, y) => Number(y.own) - Number(x.own));
  return { report: { leaks: order.map((o) => o.leak) }, targets: order.map((o) => o.target) };
}

/** A live hunt in the active debug session, driven from the status bar. */
export class LiveHuntController implements vscode.Disposable {
  private worker: HuntWorker | null = null;
  private session: vscode.DebugSession | null = null;
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: HuntContext) {
    this.item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'Heap Lens live hunt';
    this.subscription = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s === this.session) void this.stop('the debug session ended');
    });
  }

  get running(): boolean {
    return this.worker !== null;
  }

  /** The file Find leaks was run on: its leaks are listed first. */
  private focusFile: string | undefined;

  async start(session: vscode.DebugSession, focusFile?: string): Promise<void> {
    await this.stop();
    this.focusFile = focusFile;
    const worker = startHuntWorker(huntWorkerPath(this.ctx));
    this.worker = worker;
    this.session = session;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Heap Lens: taking the baseline snapshot' },
        async () => worker.api.liveStart(await proxyAddress(session), settings().trackAllocations),
      );
      this.show(0);
      void vscode.window.showInformationMessage(
        'Heap Lens: start mark taken. Exercise the program, then mark the heap from the status bar; after two more marks, analyse.',
      );
    } catch (e) {
      await this.stop(e instanceof Error ? e.message : String(e));
    }
  }

  async mark(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      const n = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Heap Lens: marking the heap' },
        () => worker.api.liveSnapshot(),
      );
      this.show(n);
    } catch (e) {
      // A paused program sends V8 no heap statistics: the hunt goes on once it runs again.
      if (e instanceof RemoteError && e.code === 'timeout') {
        void vscode.window.showWarningMessage(`Heap Lens: ${e.message}`);
        return;
      }
      await this.stop(e instanceof Error ? e.message : String(e));
    }
  }

  async analyse(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      const outcome = firstFrom(
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: 'Heap Lens: analysing',
            cancellable: true,
          },
          (progress, token) => {
            // Cancel lets the program go at once, tracking off (the worker's abort; hunt/liveHunt.ts).
            token.onCancellationRequested(() => worker.signal.abort());
            // The one full snapshot of the live hunt: its percent in the notification and the status bar.
            worker.onProgress = (p) => {
              progress.report({ message: p.message });
              this.item.text = `$(loading~spin) Heap Lens: ${p.message ?? 'analysing'}`;
            };
            return worker.api.liveFinish();
          },
        ),
        this.focusFile,
      );
      this.worker = null;
      this.item.hide();
      this.ctx.marks.show(outcome.report);
      openReportPanel(this.ctx, worker, outcome.report, outcome.targets, this.session?.name ?? 'live hunt');
    } catch (e) {
      if (isCancelled(e)) {
        // The marks went with the snapshot: this live hunt is over.
        await this.stop();
        return;
      }
      void vscode.window.showErrorMessage(`Heap Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private show(marks: number): void {
    const ready = marks >= 2;
    this.item.text = ready
      ? `$(graph) Heap Lens: analyse (${marks + 1} marks)`
      : `$(pin) Heap Lens: mark the heap (${marks + 1} so far)`;
    this.item.command = ready ? 'heaplens.analyseLiveHunt' : 'heaplens.markLiveHunt';
    this.item.tooltip = ready
      ? 'Find what was born between the marks and is still alive, from one snapshot (or mark more first: Heap Lens: Mark the heap)'
      : 'Mark the heap after exercising the program (an object-id reading, not a snapshot)';
    this.item.show();
  }

  async stop(reason?: string): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.session = null;
    this.item.hide();
    if (worker) {
      worker.signal.abort();
      await worker.dispose();
    }
    if (reason) {
      this.ctx.log.appendLine(`Live hunt stopped: ${reason}`);
      void vscode.window.showWarningMessage(`Heap Lens: live hunt stopped: ${reason.split('\n')[0]}`);
    }
  }

  dispose(): void {
    void this.stop();
    this.subscription.dispose();
    this.item.dispose();
  }
}

/**
 * The heap of the debugged program by class, with growth since the previous overview of the
 * same session (objgraph's show_growth). One worker and one panel per debug session.
 */
export class HeapOverview implements vscode.Disposable {
  private readonly bySession = new Map<
    string,
    { worker: HuntWorker; panel: vscode.WebviewPanel; host: WebviewHost }
  >();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: HuntContext) {
    this.subscription = vscode.debug.onDidTerminateDebugSession((s) =>
      this.bySession.get(s.id)?.panel.dispose(),
    );
  }

  async show(): Promise<void> {
    const session = nodeDebugSession();
    if (!session) {
      void vscode.window.showErrorMessage('Heap Lens: the heap overview needs a running Node debug session.');
      return;
    }
    let entry = this.bySession.get(session.id);
    const worker = entry?.worker ?? startHuntWorker(huntWorkerPath(this.ctx));
    try {
      const rows = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Heap Lens: heap overview',
          cancellable: true,
        },
        async (_p, token) => {
          token.onCancellationRequested(() => void worker.cancel());
          return worker.api.overview(await proxyAddress(session));
        },
      );
      const title = `Heap of ${session.name} by class${entry ? ' (growth since the last overview)' : ''}`;
      if (entry) {
        entry.host.update(title, rows);
        entry.panel.reveal();
        return;
      }
      const panel = vscode.window.createWebviewPanel(
        'heaplens.overview',
        `Heap Lens: ${session.name}`,
        vscode.ViewColumn.Beside,
        {
          ...webviewOptions(this.ctx.extensionUri),
          retainContextWhenHidden: true,
        },
      );
      const host = new WebviewHost(
        panel.webview,
        worker.api,
        { kind: 'overview', title, rows },
        this.ctx.log,
      );
      panel.webview.html = webviewHtml(panel.webview, this.ctx.extensionUri);
      entry = { worker, panel, host };
      this.bySession.set(session.id, entry);
      panel.onDidDispose(() => {
        host.dispose();
        void worker.dispose();
        this.bySession.delete(session.id);
      });
    } catch (e) {
      if (!entry) await worker.dispose();
      void vscode.window.showErrorMessage(`Heap Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const e of this.bySession.values()) e.panel.dispose();
    this.subscription.dispose();
  }
}
