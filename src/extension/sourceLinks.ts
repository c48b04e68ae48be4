// From a leak to the line that allocated it: open the file (only a file the shown report or
// snapshot names, see sourceAllowlist.ts, and that exists), reveal
// and briefly highlight the line; while results are current, allocating lines carry a gutter
// mark and a hover saying what they allocated that is still alive.

import fs from 'node:fs';
import * as vscode from 'vscode';
import type { LeakReport } from '../core/report';
import { forTerminal } from '../core/sanitize';
import type { SourceAllowlist } from './sourceAllowlist';
import { formatBytes } from '../core/format';

const flash = vscode.window.createTextEditorDecorationType({
  isWholeLine: true,
  backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
});

export async function openSource(
  path: string,
  line: number,
  column: number,
  allowed: SourceAllowlist,
): Promise<boolean> {
  if (!allowed.allows(path)) {
    void vscode.window.showWarningMessage(
      `Heap Lens: ${forTerminal(path, { max: 300 })} is not a file the report or snapshot shown names; not opened.`,
    );
    return false;
  }
  if (!fs.existsSync(path) || !fs.statSync(path).isFile()) {
    void vscode.window.showWarningMessage(
      `Heap Lens: ${forTerminal(path, { max: 300 })} is not a file on this machine.`,
    );
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  const editor = await vscode.window.showTextDocument(doc, {
    selection: new vscode.Range(pos, pos),
    preserveFocus: false,
  });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  editor.setDecorations(flash, [new vscode.Range(pos, pos)]);
  setTimeout(() => editor.setDecorations(flash, []), 1500);
  return true;
}

/** Gutter marks and hovers on allocating lines, until cleared. */
export class AllocationMarks implements vscode.Disposable {
  private readonly gutter: vscode.TextEditorDecorationType;
  private byFile = new Map<string, vscode.DecorationOptions[]>();
  private readonly subscription: vscode.Disposable;

  constructor(iconPath: vscode.Uri) {
    this.gutter = vscode.window.createTextEditorDecorationType({
      gutterIconPath: iconPath,
      gutterIconSize: 'contain',
    });
    this.subscription = vscode.window.onDidChangeVisibleTextEditors(() => this.paint());
  }

  show(report: LeakReport): void {
    this.byFile = new Map();
    for (const leak of report.leaks) {
      const site = leak.allocationSites[0];
      if (!site) continue;
      const kept = leak.retainerPath
        .slice(-4, -1)
        .reverse()
        .map((s) => s.edge)
        .filter((e): e is string => !!e);
      const hover = new vscode.MarkdownString();
      hover.appendText(
        `${leak.count.toLocaleString('en-US')} ${leak.name} objects, ${formatBytes(leak.retainedSize)}, allocated here are still alive`,
      );
      if (kept.length) hover.appendText(` — kept by ${kept.join(' ← ')}`);
      const line = Math.max(0, site.line - 1);
      const list = this.byFile.get(site.path) ?? [];
      list.push({ range: new vscode.Range(line, 0, line, 0), hoverMessage: hover });
      this.byFile.set(site.path, list);
    }
    this.paint();
  }

  clear(): void {
    this.byFile = new Map();
    this.paint();
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.gutter, this.byFile.get(editor.document.uri.fsPath) ?? []);
    }
  }

  dispose(): void {
    this.clear();
    this.subscription.dispose();
    this.gutter.dispose();
  }
}
