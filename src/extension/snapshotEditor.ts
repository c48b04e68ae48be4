// .heapsnapshot files open in a read-only custom editor: parsed and analysed in a worker
// thread (with progress and Cancel), then the snapshot workbench: leak suspects, the
// dominator tree and the Summary by definition site, each row opening a retainer graph.

import path from 'node:path';
import * as vscode from 'vscode';
import type { Progress } from '../contracts/rpc';
import { AnalysisWorker, startAnalysisWorker } from '../core/worker/client';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewContent';

class SnapshotDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly worker: AnalysisWorker,
  ) {}
  dispose(): void {
    void this.worker.dispose();
  }
}

export class SnapshotEditorProvider implements vscode.CustomReadonlyEditorProvider<SnapshotDocument> {
  static readonly viewType = 'heaplens.snapshot';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.OutputChannel,
  ) {}

  async openCustomDocument(
    uri: vscode.Uri,
    _context: vscode.CustomDocumentOpenContext,
    token: vscode.CancellationToken,
  ): Promise<SnapshotDocument> {
    let onProgress: ((p: Progress) => void) | undefined;
    const worker = startAnalysisWorker(
      (p) => onProgress?.(p),
      vscode.Uri.joinPath(this.extensionUri, 'dist', 'analysisWorker.js').fsPath,
    );
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Heap Lens: reading ${path.basename(uri.fsPath)}`,
          cancellable: true,
        },
        async (progress, cancel) => {
          const stop = (): void => {
            void worker.cancel();
          };
          cancel.onCancellationRequested(stop);
          token.onCancellationRequested(stop);
          let last = 0;
          onProgress = (p) => {
            const pct =
              p.phase === 'reading' && p.total > 0
                ? Math.round((80 * p.done) / p.total)
                : 80 + Math.round((20 * p.done) / Math.max(1, p.total));
            progress.report({ message: p.phase, increment: Math.max(0, pct - last) });
            last = Math.max(last, pct);
          };
          const stats = await worker.api.loadFile(uri.fsPath);
          this.log.appendLine(
            `Loaded ${uri.fsPath}: ${stats.nodeCount.toLocaleString('en-US')} nodes, ${stats.edgeCount.toLocaleString('en-US')} edges.`,
          );
        },
      );
    } catch (e) {
      await worker.dispose();
      const message = e instanceof Error ? e.message : String(e);
      this.log.appendLine(`Could not open ${uri.fsPath}: ${message}`);
      throw new Error(`Heap Lens cannot read this snapshot: ${message}`, { cause: e });
    }
    return new SnapshotDocument(uri, worker);
  }

  async resolveCustomEditor(document: SnapshotDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.extensionUri);
    const host = new WebviewHost(
      panel.webview,
      document.worker.api,
      { kind: 'workbench', title: path.basename(document.uri.fsPath) },
      this.log,
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri);
    panel.onDidDispose(() => host.dispose());
  }
}
