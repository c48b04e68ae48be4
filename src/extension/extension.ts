// Heap Lens in VS Code: thin glue. Commands, the .heapsnapshot editor and the result panel
// call the engine (in worker threads); nothing heavy runs on the extension host.

import * as vscode from 'vscode';
import { findLeaksCommand, openReportPanel } from './findLeaks';
import { HeapOverview, LiveHuntController, nodeDebugSession, whyIsThisAliveCommand } from './debugSession';
import { LeakHuntAdapter } from '../debugAdapter/leakHuntAdapter';
import type { HuntOutcome } from '../contracts/hunt';
import { SnapshotEditorProvider } from './snapshotEditor';
import { AllocationMarks } from './sourceLinks';
import { registerLanguageModelTools } from './lmTools';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Heap Lens');
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.name = 'Heap Lens';
  const marks = new AllocationMarks(vscode.Uri.joinPath(context.extensionUri, 'media', 'gutter.svg'));
  const hunt = { extensionUri: context.extensionUri, log, marks, status };
  const live = new LiveHuntController(hunt);
  const overview = new HeapOverview(hunt);
  context.subscriptions.push(
    log,
    status,
    marks,
    live,
    overview,
    registerLanguageModelTools(hunt),
    vscode.commands.registerCommand('heaplens.heapOverview', () => overview.show()),
    vscode.commands.registerCommand('heaplens.findLeaks', async (uri?: vscode.Uri) => {
      const session = nodeDebugSession();
      if (session) {
        const choice = await vscode.window.showQuickPick(
          [
            {
              label: `Hunt in the running debug session "${session.name}"`,
              description: 'marks the heap when you say, one snapshot at Analyse',
              live: true,
            },
            { label: 'Run this file as a scenario', description: 'repeats its exported action', live: false },
          ],
          { title: 'Heap Lens: Find leaks' },
        );
        if (!choice) return;
        if (choice.live)
          return live.start(session, (uri ?? vscode.window.activeTextEditor?.document.uri)?.fsPath);
      }
      return findLeaksCommand(hunt, uri);
    }),
    vscode.commands.registerCommand('heaplens.markLiveHunt', () => live.mark()),
    vscode.commands.registerCommand('heaplens.analyseLiveHunt', () => live.analyse()),
    vscode.commands.registerCommand(
      'heaplens.whyIsThisAlive',
      (arg?: { variable?: { evaluateName?: string } }) => whyIsThisAliveCommand(hunt, arg),
    ),
    vscode.commands.registerCommand('heaplens.clearMarks', () => marks.clear()),
    // VS Code's own heap-snapshot viewer also claims *.heapsnapshot: this opens ours.
    vscode.commands.registerCommand(
      'heaplens.openSnapshot',
      (uri?: vscode.Uri) =>
        uri && vscode.commands.executeCommand('vscode.openWith', uri, SnapshotEditorProvider.viewType),
    ),
    // The heaplens debug type runs in-process; its hunt runs in a worker thread.
    vscode.debug.registerDebugAdapterDescriptorFactory('heaplens', {
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterInlineImplementation(
          new LeakHuntAdapter(vscode.Uri.joinPath(context.extensionUri, 'dist', 'huntWorker.js').fsPath),
        ),
    }),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== 'heaplens' || e.event !== 'heaplens.report') return;
      const outcome = e.body as HuntOutcome;
      marks.show(outcome.report);
      openReportPanel(hunt, null, outcome.report, outcome.targets, e.session.name);
    }),
    vscode.window.registerCustomEditorProvider(
      SnapshotEditorProvider.viewType,
      new SnapshotEditorProvider(context.extensionUri, log),
      {
        supportsMultipleEditorsPerDocument: false,
        webviewOptions: { retainContextWhenHidden: true },
      },
    ),
  );
}

export function deactivate(): void {
  // Workers and panels are disposed through context.subscriptions and their own panels.
}
