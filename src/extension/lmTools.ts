// Heap Lens as language-model tools for VS Code's agent (contributes.languageModelTools):
// heaplens_findLeaks, heaplens_whyAlive, heaplens_snapshotSummary. Each answers with the
// compact JSON of src/core/compact.ts (leaks, sentences, user-frame lines, folded paths)
// under a stated size budget, never a snapshot. Running a program or evaluating an
// expression in one asks the person first (prepareInvocation) and is refused in Restricted
// Mode; reading a snapshot file is not. The work runs in the same worker threads as the
// commands, so the extension host stays responsive.

import path from 'node:path';
import * as vscode from 'vscode';
import { startHuntWorker } from '../hunt/client';
import { startAnalysisWorker } from '../core/worker/client';
import { DEFAULTS } from '../contracts/defaults';
import { clampBudget, compactReport, fitToBudget, pathsFromGraph } from '../core/compact';
import { clean, formatBytes } from '../core/format';
import type { ClassSummary } from '../core/classes';
import type { SnapshotQueries } from '../contracts/analysis';
import { huntWorkerPath, HuntContext } from './findLeaks';
import { nodeDebugSession, proxyAddress } from './debugSession';
import { settings } from './settings';
import { chooseNode } from '../inspector/nodeRuntime';

interface FindLeaksInput {
  scenario?: string;
  iterations?: number;
  intervalSeconds?: number;
  maxChars?: number;
  offset?: number;
}
interface WhyAliveInput {
  expression?: string;
  snapshot?: string;
  id?: number;
  maxChars?: number;
}
interface SummaryInput {
  snapshot?: string;
  maxChars?: number;
  offset?: number;
}

const RESTRICTED =
  'Heap Lens runs programs only in a trusted workspace; this workspace is in Restricted Mode.';
/** Where the object under question is parked for a moment, to reach it from CDP (as the command does). */
const PARKING = '__heaplensWhyTool';

export const TOOL_NAMES = ['heaplens_findLeaks', 'heaplens_whyAlive', 'heaplens_snapshotSummary'] as const;

export function registerLanguageModelTools(ctx: HuntContext): vscode.Disposable {
  const selfTest: vscode.Disposable[] = [];
  if (process.env.HEAPLENS_E2E === '1') {
    void vscode.commands.executeCommand('setContext', 'heaplens.e2e', true);
    selfTest.push(vscode.commands.registerCommand('heaplens.e2e.agentTools', () => agentToolsSelfTest(ctx)));
  }
  return vscode.Disposable.from(
    ...selfTest,
    vscode.lm.registerTool<FindLeaksInput>('heaplens_findLeaks', {
      prepareInvocation: (o) => {
        const scenario = o.input.scenario ? resolveInWorkspace(o.input.scenario) : undefined;
        const what = scenario
          ? `run \`${path.basename(scenario)}\` ${o.input.iterations ?? settings().iterations} times under the inspector`
          : "mark the running debug session's heap three times a few seconds apart, then take one heap snapshot";
        return {
          invocationMessage: scenario
            ? `Hunting leaks in ${path.basename(scenario)}`
            : 'Hunting leaks in the debug session',
          confirmationMessages: {
            title: 'Heap Lens: find leaks?',
            message: new vscode.MarkdownString(`Heap Lens will ${what} and report what keeps growing.`),
          },
        };
      },
      invoke: async (o, token) => json(await findLeaks(ctx, o.input, token)),
    }),
    vscode.lm.registerTool<WhyAliveInput>('heaplens_whyAlive', {
      prepareInvocation: (o) =>
        o.input.expression
          ? {
              invocationMessage: 'Finding why the value is alive',
              confirmationMessages: {
                title: 'Heap Lens: evaluate in the debugged program?',
                message: new vscode.MarkdownString()
                  .appendText('Heap Lens will evaluate this in the paused frame and take a heap snapshot:\n')
                  .appendCodeblock(o.input.expression, 'javascript'),
              },
            }
          : {
              invocationMessage: `Reading retainers in ${path.basename(o.input.snapshot ?? 'the snapshot')}`,
            },
      invoke: async (o, token) => json(await whyAlive(ctx, o.input, token)),
    }),
    vscode.lm.registerTool<SummaryInput>('heaplens_snapshotSummary', {
      prepareInvocation: (o) => ({
        invocationMessage: o.input.snapshot
          ? `Summarising ${path.basename(o.input.snapshot)}`
          : 'Summarising the heap of the debug session',
      }),
      invoke: async (o, token) => json(await snapshotSummary(ctx, o.input, token)),
    }),
  );
}

async function findLeaks(
  ctx: HuntContext,
  input: FindLeaksInput,
  token: vscode.CancellationToken,
): Promise<object> {
  if (!vscode.workspace.isTrusted) throw new Error(RESTRICTED);
  const s = settings();
  const iterations = Math.round(input.iterations ?? s.iterations);
  if (!(iterations >= DEFAULTS.minIterations && iterations <= DEFAULTS.maxIterations)) {
    throw new Error(`iterations must be from ${DEFAULTS.minIterations} to ${DEFAULTS.maxIterations}`);
  }
  const worker = startHuntWorker(huntWorkerPath(ctx));
  worker.onOutput = (text) => ctx.log.append(text);
  const cancel = token.onCancellationRequested(() => worker.signal.abort());
  try {
    if (input.scenario) {
      const scenario = resolveInWorkspace(input.scenario);
      ctx.log.appendLine(`Agent tool: hunting leaks in ${scenario} (${iterations} iterations)`);
      const outcome = await worker.api.hunt({
        target: { kind: 'scenario', scenario },
        iterations,
        trackAllocations: s.trackAllocations,
        nodePath: chooseNode(s.nodePath).path,
        cwd: path.dirname(scenario),
      });
      return compactReport(outcome.report, {
        maxChars: input.maxChars,
        offset: input.offset,
        iterations,
        envelope: { scenario },
      });
    }
    const session = nodeDebugSession();
    if (!session) throw new Error('give a scenario file, or start a Node debug session to hunt in');
    // A live hunt: the start mark now, two more marks while the program runs, then the analysis.
    const wait = Math.min(60, Math.max(1, input.intervalSeconds ?? 3)) * 1000;
    await worker.api.liveStart(await proxyAddress(session), s.trackAllocations);
    for (let i = 1; i < DEFAULTS.minLiveSnapshots; i++) {
      await new Promise((r) => setTimeout(r, wait));
      if (token.isCancellationRequested) throw new Error('cancelled');
      await worker.api.liveSnapshot();
    }
    const outcome = await worker.api.liveFinish();
    return compactReport(outcome.report, {
      maxChars: input.maxChars,
      offset: input.offset,
      envelope: { session: session.name, snapshots: DEFAULTS.minLiveSnapshots },
    });
  } finally {
    cancel.dispose();
    await worker.dispose();
  }
}

async function whyAlive(
  ctx: HuntContext,
  input: WhyAliveInput,
  token: vscode.CancellationToken,
): Promise<object> {
  const maxChars = clampBudget(input.maxChars);
  if (input.expression) {
    if (!vscode.workspace.isTrusted) throw new Error(RESTRICTED);
    const session = nodeDebugSession();
    if (!session) throw new Error('evaluating an expression needs a paused Node debug session');
    const worker = startHuntWorker(huntWorkerPath(ctx));
    const cancel = token.onCancellationRequested(() => worker.signal.abort());
    try {
      const frameId =
        vscode.debug.activeStackItem instanceof vscode.DebugStackFrame
          ? vscode.debug.activeStackItem.frameId
          : undefined;
      await session.customRequest('evaluate', {
        expression: `globalThis.${PARKING} = (${input.expression})`,
        frameId,
        context: 'repl',
      });
      const { id } = await worker.api.whyIsThisAlive(
        await proxyAddress(session),
        `globalThis.${PARKING}`,
        undefined,
        `delete globalThis.${PARKING}`,
      );
      return await retainersOf(worker.api, id, maxChars, { expression: input.expression });
    } finally {
      cancel.dispose();
      await worker.dispose();
    }
  }
  if (!input.snapshot || input.id === undefined)
    throw new Error('give an expression (paused debug session), or a snapshot file and an object id');
  const file = resolveInWorkspace(input.snapshot);
  const worker = startAnalysisWorker(
    undefined,
    vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'analysisWorker.js').fsPath,
  );
  const cancel = token.onCancellationRequested(() => void worker.dispose());
  try {
    await worker.api.loadFile(file);
    return await retainersOf(worker.api, input.id, maxChars, { snapshot: file });
  } finally {
    cancel.dispose();
    await worker.dispose();
  }
}

async function retainersOf(
  api: SnapshotQueries,
  id: number,
  maxChars: number,
  envelope: Record<string, unknown>,
): Promise<object> {
  const info = await api.nodeInfo(id);
  if (!info) throw new Error(`no object with id ${id} in the snapshot`);
  const graph = await api.retainerGraph(id, { paths: settings().retainerPaths });
  const paths = graph ? pathsFromGraph(graph, settings().retainerPaths) : [];
  const object = {
    id,
    className: clean(info.className, 80),
    name: clean(info.name, 80),
    self: info.selfSize,
    retained: formatBytes(info.retainedSize),
    distance: info.distance,
  };
  return fitToBudget(
    { ...envelope, object, ...(paths.length === 0 ? { note: 'nothing retains it from a GC root' } : {}) },
    paths.map((p) => ({ path: p })),
    maxChars,
  );
}

async function snapshotSummary(
  ctx: HuntContext,
  input: SummaryInput,
  token: vscode.CancellationToken,
): Promise<object> {
  const rows = (
    c: Pick<ClassSummary, 'name' | 'count' | 'selfSize' | 'retainedSize' | 'largestId'> & {
      countDelta?: number;
    },
  ): object => ({
    name: clean(c.name, 80),
    count: c.count,
    self: formatBytes(c.selfSize),
    retained: formatBytes(c.retainedSize),
    largestId: c.largestId,
    ...(c.countDelta !== undefined ? { countDelta: c.countDelta } : {}),
  });
  if (input.snapshot) {
    const file = resolveInWorkspace(input.snapshot);
    const worker = startAnalysisWorker(
      undefined,
      vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'analysisWorker.js').fsPath,
    );
    const cancel = token.onCancellationRequested(() => void worker.dispose());
    try {
      const stats = await worker.api.loadFile(file);
      const classes = await worker.api.summary(200);
      return fitToBudget(
        {
          snapshot: file,
          nodeCount: stats.nodeCount,
          totalSize: formatBytes(stats.totalSize),
          classesByRetainedSize: true,
        },
        classes.map(rows),
        clampBudget(input.maxChars),
        input.offset,
      );
    } finally {
      cancel.dispose();
      await worker.dispose();
    }
  }
  if (!vscode.workspace.isTrusted) throw new Error(RESTRICTED);
  const session = nodeDebugSession();
  if (!session) throw new Error('give a .heapsnapshot file, or start a Node debug session');
  const worker = startHuntWorker(huntWorkerPath(ctx));
  const cancel = token.onCancellationRequested(() => worker.signal.abort());
  try {
    const classes = await worker.api.overview(await proxyAddress(session));
    return fitToBudget(
      { session: session.name, classesByRetainedSize: true },
      classes.map(rows),
      clampBudget(input.maxChars),
      input.offset,
    );
  } finally {
    cancel.dispose();
    await worker.dispose();
  }
}

/** A path as an agent gives it: absolute, or relative to the first workspace folder. */
function resolveInWorkspace(p: string): string {
  if (path.isAbsolute(p)) return p;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return root ? path.resolve(root, p) : path.resolve(p);
}

function json(value: object): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(value))]);
}

/**
 * For the e2e test only (registered when HEAPLENS_E2E=1): lists the tools VS Code knows and
 * invokes two of them through vscode.lm.invokeTool on the workspace's first .heapsnapshot,
 * showing what came back.
 */
export async function agentToolsSelfTest(ctx: HuntContext): Promise<void> {
  const names = vscode.lm.tools
    .filter((t) => t.name.startsWith('heaplens_'))
    .map((t) => t.name)
    .sort();
  const [file] = await vscode.workspace.findFiles('**/*.heapsnapshot', undefined, 1);
  const text = (r: vscode.LanguageModelToolResult): string =>
    r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  const summary = JSON.parse(
    text(
      await vscode.lm.invokeTool('heaplens_snapshotSummary', {
        input: { snapshot: file.fsPath, maxChars: 3000 },
        toolInvocationToken: undefined,
      }),
    ),
  ) as { items: { name: string; count: number; largestId: number }[] };
  // The program's own populous classes (not V8's parenthesised ones), each explained.
  const why: string[] = [];
  for (const c of summary.items.filter((x) => !x.name.startsWith('(') && x.count >= 1000).slice(0, 4)) {
    const answer = JSON.parse(
      text(
        await vscode.lm.invokeTool('heaplens_whyAlive', {
          input: { snapshot: file.fsPath, id: c.largestId },
          toolInvocationToken: undefined,
        }),
      ),
    ) as { items: { path: string }[] };
    why.push(`why ${c.name}: ${answer.items[0]?.path ?? 'none'}`);
  }
  const line = `Heap Lens agent tools: ${names.join(', ')} | classes: ${summary.items
    .slice(0, 8)
    .map((c) => c.name)
    .join(', ')} | ${why.join(' | ')}`;
  ctx.log.appendLine(line);
  void vscode.window.showInformationMessage(line);
}
