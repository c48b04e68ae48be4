// "Find leaks" on a scenario file: the hunt runs in a worker thread (the extension host
// stays responsive), with a cancellable progress notification and a status bar item; the
// result opens in the graph panel and marks the allocating lines.

import path from 'node:path';
import * as vscode from 'vscode';
import type { Progress } from '../contracts/rpc';
import { isCancelled, isRemoteError } from '../contracts/errors';
import { HuntWorker, startHuntWorker } from '../hunt/client';
import type { LeakReport } from '../core/report';
import { WebviewHost } from './webviewHost';
import { settings } from './settings';
import { webviewHtml, webviewOptions } from './webviewContent';
import { AllocationMarks } from './sourceLinks';
import { chooseNode, describeNodeChoice } from '../inspector/nodeRuntime';

export interface HuntContext {
  extensionUri: vscode.Uri;
  log: vscode.OutputChannel;
  marks: AllocationMarks;
  status: vscode.StatusBarItem;
}

export async function findLeaksCommand(ctx: HuntContext, uri?: vscode.Uri): Promise<void> {
  const file = uri?.fsPath ?? vscode.window.activeTextEditor?.document.uri.fsPath;
  if (!file || !/\.(c|m)?[jt]s$|\.tsx$/.test(file)) {
    void vscode.window.showErrorMessage(
      'Heap Lens: Find leaks needs a JavaScript or TypeScript scenario file (one that exports `action`).',
    );
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      'Heap Lens: running a program is disabled in Restricted Mode. Trust this workspace to find leaks.',
    );
    return;
  }
  const s = settings();
  ctx.marks.clear();
  const node = chooseNode(s.nodePath);
  ctx.log.appendLine(
    `Hunting leaks in ${file} (${s.iterations} iterations) with ${describeNodeChoice(node)}…`,
  );
  let onProgress: ((p: Progress) => void) | undefined;
  const worker = startHuntWorker(huntWorkerPath(ctx), (p) => onProgress?.(p));
  worker.onOutput = (text) => ctx.log.append(text);
  ctx.status.text = '$(loading~spin) Heap Lens: hunting…';
  ctx.status.show();
  try {
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Heap Lens: finding leaks in ${path.basename(file)}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => worker.signal.abort());
        let last = 0;
        onProgress = (p) => {
          const pct = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
          progress.report({ message: p.message, increment: Math.max(0, pct - last) });
          last = Math.max(last, pct);
          ctx.status.text = `$(loading~spin) Heap Lens: ${p.message ?? 'hunting'}`;
        };
        return worker.api.hunt({
          target: { kind: 'scenario', scenario: file },
          iterations: s.iterations,
          trackAllocations: s.trackAllocations,
          nodePath: node.path,
          cwd: path.dirname(file),
        });
      },
    );
    ctx.log.appendLine(`Found ${outcome.report.leaks.length} leak(s).`);
    for (const leak of outcome.report.leaks) ctx.log.appendLine(`  ${leak.explanation}`);
    ctx.marks.show(outcome.report);
    openReportPanel(ctx, worker, outcome.report, outcome.targets, path.basename(file));
  } catch (e) {
    await worker.dispose();
    const message = e instanceof Error ? e.message : String(e);
    ctx.log.appendLine(`Hunt failed: ${message}`);
    if (isRemoteError(e, 'not-a-scenario')) {
      // Not a scenario: offer to run it as a program, repeating a unit of work in it.
      const run = 'Run it under Heap Lens…';
      const choice = await vscode.window.showErrorMessage(
        `Heap Lens: ${path.basename(file)} does not export \`action\`, so it is not a scenario.`,
        run,
        'Show Log',
      );
      if (choice === run) await runAsProgram(file);
      else if (choice) ctx.log.show();
    } else if (!isCancelled(e)) {
      const choice = await vscode.window.showErrorMessage(`Heap Lens: ${message.split('\n')[0]}`, 'Show Log');
      if (choice) ctx.log.show();
    }
  } finally {
    ctx.status.hide();
  }
}

/** The hunt worker bundle. */
export function huntWorkerPath(ctx: HuntContext): string {
  return vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'huntWorker.js').fsPath;
}

export function openReportPanel(
  ctx: HuntContext,
  worker: HuntWorker | null,
  report: LeakReport,
  targets: number[],
  name: string,
): void {
  const panel = vscode.window.createWebviewPanel(
    'heaplens.results',
    `Heap Lens: ${name}`,
    vscode.ViewColumn.Beside,
    {
      ...webviewOptions(ctx.extensionUri),
      retainContextWhenHidden: true,
    },
  );
  const host = new WebviewHost(
    panel.webview,
    worker?.api ?? null,
    { kind: 'report', report, targets },
    ctx.log,
  );
  panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri);
  panel.onDidDispose(() => {
    host.dispose();
    ctx.marks.clear();
    void worker?.dispose();
  });
}

/** Starts the file as a program under the heaplens debug type, with a unit of work the person gives. */
async function runAsProgram(file: string): Promise<void> {
  const work = await vscode.window.showInputBox({
    title: 'Heap Lens: what is one unit of work?',
    prompt: 'A loopback URL to request (http://127.0.0.1:3000/…) or an expression to evaluate in the program',
    validateInput: (v) => (v.trim() ? undefined : 'Give a URL or an expression'),
  });
  if (!work) return;
  const isUrl = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(work.trim());
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  await vscode.debug.startDebugging(folder, {
    type: 'heaplens',
    request: 'launch',
    name: `Find leaks: ${path.basename(file)}`,
    program: file,
    cwd: path.dirname(file),
    iterations: settings().iterations,
    ...(isUrl ? { url: work.trim() } : { action: work }),
  });
}
