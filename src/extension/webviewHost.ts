// The host side of the retainer-graph webview, for a leak report (after a hunt) and for a
// snapshot opened on its own. Every message from the webview is validated first; answers
// come from the worker that holds the snapshot.

import path from 'node:path';
import * as vscode from 'vscode';
import type { SnapshotQueries } from '../contracts/analysis';
import type { LeakReport } from '../core/report';
import { ClassRow, HostMessage, parseWebviewMessage, WebviewMessage } from '../contracts/webview';
import type { MergedPathsQuery } from '../core/workbench/mergedGraph';
import { formatCount } from '../core/format';
import { wireError } from '../contracts/errors';
import { openSource } from './sourceLinks';
import { SourceAllowlist } from './sourceAllowlist';
import { settings } from './settings';

export type PanelContent =
  | { kind: 'report'; report: LeakReport; targets: number[] }
  | { kind: 'summary'; title: string }
  /** The snapshot workbench: suspects, dominator tree, Summary by definition site. */
  | { kind: 'workbench'; title: string }
  /** `paused`: asked of a paused program, so the pause's own roots (stack, debugger) are left out. */
  | { kind: 'object'; id: number; title: string; paused?: boolean; frame?: string }
  | { kind: 'overview'; title: string; rows: ClassRow[] };

export class WebviewHost implements vscode.Disposable {
  private target: number | null = null;
  private leakIndex: number | undefined;
  private ignored: number[] = [];
  private maxNodes = settings().graphSizeLimit;
  /** The webview's toggles: V8's raw paths instead of folded ones; paths through the paused frames too. */
  private view = { rawPaths: false, stackPaths: false };
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The files this panel's content names: the only ones `openSource` may open. */
  private readonly sources = new SourceAllowlist();
  /** The merged paths drawn now (instead of one object's graph), for "N more". */
  private merged: MergedPathsQuery | null = null;
  /** Whether the workbench tabs were sent beside a debug session's graph, report or class list. */
  private alongsideSent = false;

  constructor(
    private readonly webview: vscode.Webview,
    /** The worker holding the snapshot; null when only the report is at hand (graphs come from its paths). */
    private readonly worker: SnapshotQueries | null,
    private readonly content: PanelContent,
    private readonly log: vscode.OutputChannel,
  ) {
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const m = parseWebviewMessage(raw);
        if (!m) {
          this.log.appendLine('Ignored a malformed message from the webview.');
          return;
        }
        this.handle(m).catch((e: unknown) => {
          const failure = wireError(e);
          this.log.appendLine(`Webview request ${m.type} failed (${failure.code}): ${failure.message}`);
          // The page waits for an answer: tell it, so it can say so instead of "busy" forever.
          this.post({ type: 'requestFailed', request: m.type, code: failure.code, message: failure.message });
        });
      }),
    );
  }

  /** Replaces what the panel shows (a new overview of the same program). */
  update(title: string, rows: ClassRow[]): void {
    this.post({ type: 'showSummary', title, classes: rows });
    // The worker holds the new snapshot now: the tabs beside the list are about it.
    if (this.worker && this.alongsideSent) void this.showWorkbench(this.worker, title, true);
  }

  private post(m: HostMessage): void {
    if (m.type === 'showReport') this.sources.addReport(m.report);
    else if (m.type === 'showGraph' || m.type === 'mergeGraph') this.sources.addGraph(m.graph);
    void this.webview.postMessage(m);
  }

  private async handle(m: WebviewMessage): Promise<void> {
    const worker = this.worker;
    if (!worker) {
      if (m.type === 'ready' && this.content.kind === 'report')
        this.post({ type: 'showReport', report: this.content.report });
      else if (m.type === 'openSource') await openSource(m.path, m.line, m.column, this.sources);
      return;
    }
    switch (m.type) {
      case 'ready':
        if (this.content.kind === 'report') this.post({ type: 'showReport', report: this.content.report });
        else if (this.content.kind === 'summary')
          this.post({ type: 'showSummary', title: this.content.title, classes: await worker.summary(200) });
        else if (this.content.kind === 'workbench') await this.showWorkbench(worker, this.content.title);
        else if (this.content.kind === 'overview') {
          this.post({ type: 'showSummary', title: this.content.title, classes: this.content.rows });
          await this.alongside(worker);
        } else return this.show(this.content.id, []);
        return;
      case 'selectLeak': {
        if (this.content.kind !== 'report') return;
        const id = this.content.targets[m.index];
        if (id === undefined) return;
        this.leakIndex = m.index;
        return this.show(id, []);
      }
      case 'selectNode':
        this.leakIndex = undefined;
        return this.show(m.id, []);
      case 'viewOptions':
        this.view = { rawPaths: m.rawPaths, stackPaths: m.stackPaths };
        if (this.merged && this.paused)
          return this.showMerged(worker, { ...this.merged, paused: { withFrames: m.stackPaths } });
        if (this.target === null) return;
        return this.show(this.target, this.ignored);
      case 'expandRetainers': {
        if (m.id === undefined) return;
        const graph = await worker.retainerGraph(m.id, {
          paths: 10,
          maxNodes: this.maxNodes,
          folded: !this.view.rawPaths,
          excludeStack: this.paused && !this.view.stackPaths,
          excludeInspector: this.paused,
        });
        if (graph) this.post({ type: 'mergeGraph', forKey: m.key, graph });
        return;
      }
      case 'ignoreRetainer':
        if (m.id === undefined || this.target === null) return;
        return this.show(this.target, [...this.ignored, m.id]);
      case 'loadMore':
        if (this.merged) {
          this.maxNodes *= 2;
          return this.showMerged(worker, this.merged);
        }
        if (this.target === null) return;
        this.maxNodes *= 2;
        return this.show(this.target, this.ignored);
      case 'mergedPaths':
        return this.showMerged(worker, {
          id: m.id,
          by: m.by,
          ...(this.paused ? { paused: { withFrames: this.view.stackPaths } } : {}),
        });
      case 'attribution':
        this.post({ type: 'showAttribution', attribution: await worker.attribution(m.by) });
        return;
      case 'waste':
        this.post({ type: 'showWaste', waste: await worker.waste() });
        return;
      case 'summaryRows':
        this.post({ type: 'showSummaryRows', summary: await worker.summaryByLocation(500) });
        return;
      case 'openSource':
        await openSource(m.path, m.line, m.column, this.sources);
        return;
      case 'compareWith': {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { 'Heap snapshots': ['heapsnapshot'] },
          openLabel: 'Compare with this snapshot',
        });
        if (!picked?.[0]) return;
        const file = picked[0].fsPath;
        const comparison = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `Heap Lens: comparing with ${path.basename(file)}`,
          },
          () => worker.compareWith(file),
        );
        this.post({ type: 'showComparison', other: path.basename(file), comparison });
        return;
      }
      case 'expandDominator': {
        const row = await worker.dominators({ id: m.id, depth: 1, limit: 100 });
        if (row) this.post({ type: 'dominatorChildren', row });
        return;
      }
      case 'exportSvg': {
        const uri = await vscode.window.showSaveDialog({
          filters: { SVG: ['svg'] },
          saveLabel: 'Export retainer graph',
        });
        if (uri) await vscode.workspace.fs.writeFile(uri, Buffer.from(m.svg, 'utf8'));
        return;
      }
    }
  }

  private async showWorkbench(worker: SnapshotQueries, title: string, alongside = false): Promise<void> {
    // The Summary (a class key for every node) is asked for when its tab is first shown.
    const [suspects, dominators] = await Promise.all([
      worker.suspects(),
      worker.dominators({ depth: 1, limit: 100 }),
    ]);
    if (!dominators) return;
    this.post({ type: 'showWorkbench', title, suspects, dominators, ...(alongside ? { alongside } : {}) });
    // The first view opens on the top suspect's graph, so the panel is never empty.
    if (!alongside && suspects[0]) await this.show(suspects[0].id, []);
  }

  /**
   * A snapshot taken in a debug session (or a hunt's last one) gets the workbench tabs too,
   * beside what the panel was opened for, once that is drawn: the worker answers one question
   * at a time, and the first graph must not wait behind suspects and the dominator tree.
   */
  private async alongside(worker: SnapshotQueries): Promise<void> {
    if (this.content.kind === 'workbench' || this.alongsideSent) return;
    this.alongsideSent = true;
    const title = 'title' in this.content ? this.content.title : 'the snapshot';
    await this.showWorkbench(worker, title, true);
  }

  /** The merged shortest paths of one Summary row's objects, in the graph panel. */
  private async showMerged(worker: SnapshotQueries, query: MergedPathsQuery): Promise<void> {
    const view = await worker.mergedPaths(query, this.maxNodes);
    if (!view) return;
    this.target = null;
    this.leakIndex = undefined;
    this.merged = query;
    const gone = view.unreachable ? `; ${formatCount(view.unreachable)} unreachable` : '';
    this.post({
      type: 'showGraph',
      graph: view.graph,
      title: `Shortest paths of ${formatCount(view.targets)} ${view.name} objects, merged${gone}`,
      maxVisibleNodes: this.maxNodes,
    });
  }

  private async show(id: number, ignored: number[]): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const s = settings();
    const graph = await worker.retainerGraph(id, {
      paths: s.retainerPaths,
      ignoredIds: ignored,
      maxNodes: this.maxNodes,
      folded: !this.view.rawPaths,
      excludeStack: this.paused && !this.view.stackPaths,
      excludeInspector: this.paused,
    });
    if (!graph) return;
    this.target = id;
    this.merged = null;
    this.ignored = ignored;
    const info = await worker.nodeInfo(id);
    const frame = this.content.kind === 'object' ? this.content.frame : undefined;
    const note = graph.pause?.onlyStack
      ? ` — only the running code holds it; it is collected when ${frame ? `\`${frame}\`` : 'the paused frames'} return${frame ? 's' : ''}`
      : graph.pause?.onlyDebugger
        ? ' — only the debugger holds it (the Variables view, the REPL or the console)'
        : graph.pause?.heldByStack
          ? ' — the current frame also holds it'
          : '';
    const title = (info ? `Why is ${info.name} @${id} alive?` : `Why is @${id} alive?`) + note;
    // The selected member of a leak group was allocated where its leak was.
    const site =
      this.content.kind === 'report' && this.leakIndex !== undefined
        ? this.content.report.leaks[this.leakIndex]?.allocationSites[0]
        : undefined;
    if (site) for (const n of graph.nodes) if (n.target && !n.allocationSite) n.allocationSite = site;
    this.post({
      type: 'showGraph',
      graph,
      leakIndex: this.leakIndex,
      title,
      maxVisibleNodes: this.maxNodes,
      view: { ...this.view, paused: this.paused },
    });
    await this.alongside(worker);
  }

  /** Asked of a paused program: the pause's own roots are left out unless the stack toggle is on. */
  private get paused(): boolean {
    return this.content.kind === 'object' && this.content.paused === true;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
