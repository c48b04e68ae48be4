// Heap Lens in VS Code: thin glue. Commands, the .heapsnapshot editor and the result panel
// call the engine (in worker threads); nothing heavy runs on the extension host.

import * as vscode from 'vscode';
import { findLeaksCommand } from './findLeaks';
import { SnapshotEditorProvider } from './snapshotEditor';
import { AllocationMarks } from './sourceLinks';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Heap Lens');
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.name = 'Heap Lens';
  const marks = new AllocationMarks(vscode.Uri.joinPath(context.extensionUri, 'media', 'gutter.svg'));
  const hunt = { extensionUri: context.extensionUri, log, marks, status };
  context.subscriptions.push(
    log, status, marks,
    vscode.commands.registerCommand('heaplens.findLeaks', (uri?: vscode.Uri) => findLeaksCommand(hunt, uri)),
    vscode.commands.registerCommand('heaplens.clearMarks', () => marks.clear()),
    vscode.window.registerCustomEditorProvider(SnapshotEditorProvider.viewType, new SnapshotEditorProvider(context.extensionUri, log), {
      supportsMultipleEditorsPerDocument: false,
      webviewOptions: { retainContextWhenHidden: true },
    }),
  );
}

export function deactivate(): void {
  // Workers and panels are disposed through context.subscriptions and their own panels.
}
