// `heaplens mcp`: Heap Lens as a Model Context Protocol server on stdio, for coding agents.
// The tools answer the question an agent is asked ("why does this service's memory grow?")
// with small JSON: leaks with their sentence, user-frame line and folded retainer path,
// never a raw snapshot. Snapshots stay here, loaded once and named by handle; hunt reports
// too, so a long answer is paged (offset) instead of resent. Every answer states its budget.
//
// Running code is what this server does (a scenario's action, an expression in a process
// started with --inspect): it only connects to loopback inspector ports, and it runs on the
// agent's machine with the agent's rights, as any MCP server on stdio does.

import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { huntReport } from '../agent/runHunt';
import type { WorkSpec } from '../contracts/hunt';
import { compactReport, DEFAULT_BUDGET, MAX_BUDGET, MIN_BUDGET } from '../core/compact';
import {
  diffAnswer,
  largestOfClass,
  retainersAnswer,
  suspectsAnswer,
  summaryAnswer,
} from '../core/snapshotAnswers';
import type { LeakReport } from '../core/report';
import { describeSnapshot, MAX_SNAPSHOTS, SnapshotStore } from './snapshots';
import { version } from '../../package.json';

const MAX_REPORTS = 8;

const budget = {
  maxChars: z
    .number()
    .int()
    .min(MIN_BUDGET)
    .max(MAX_BUDGET)
    .optional()
    .describe(`Size budget of the answer in characters of JSON (default ${DEFAULT_BUDGET}).`),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Paging: the first item to return (an answer's page.nextOffset)."),
};
const attachSchema = z
  .string()
  .regex(/^(\[[0-9a-f:]+\]|[\w.-]+):\d{1,5}$/i)
  .describe('HOST:PORT of a Node process started with --inspect (loopback only, e.g. 127.0.0.1:9229).');
const handle = z
  .string()
  .regex(/^s\d+$/)
  .describe('A snapshot handle from load_snapshot or take_snapshot.');

export interface HeapLensMcp {
  server: McpServer;
  /** Stops running hunts (their debuggees are disposed) and drops every snapshot. */
  close(): Promise<void>;
}

export function createMcpServer(): HeapLensMcp {
  const server = new McpServer(
    { name: 'heaplens', version },
    {
      instructions:
        'Heap Lens finds memory leaks in Node.js programs and explains why objects stay alive. ' +
        'find_leaks runs a scenario module (exports action, optionally setup/back) or attaches to a process ' +
        'started with --inspect, repeats one unit of work and reports what keeps growing, with the allocating line. ' +
        'Snapshot tools work on handles from load_snapshot/take_snapshot. Answers are small JSON; page with offset.',
    },
  );
  const store = new SnapshotStore();
  const reports = new Map<string, { report: LeakReport; iterations: number }>();
  let nextReport = 1;
  /** Running hunts: aborted on close, and waited for, so no debuggee outlives the server. */
  const hunts = new Map<AbortController, Promise<unknown>>();

  const keepReport = (report: LeakReport, iterations: number): string => {
    while (reports.size >= MAX_REPORTS) reports.delete(reports.keys().next().value!);
    const h = `r${nextReport++}`;
    reports.set(h, { report, iterations });
    return h;
  };

  server.registerTool(
    'find_leaks',
    {
      title: 'Find memory leaks',
      description:
        'Hunt leaks: run a scenario file (a module exporting action) under the inspector, or attach to a process ' +
        'started with --inspect and repeat an expression (action) or a loopback HTTP request (request) as one unit of work. ' +
        'Snapshots after each of `iterations` repetitions; returns the leaks (class, growth per iteration, a sentence naming ' +
        'what holds them, the user-frame file:line that allocated them, the folded retainer path). Takes seconds to minutes.',
      inputSchema: {
        scenario: z
          .string()
          .min(1)
          .optional()
          .describe('Path of a scenario module (exports action; optionally setup, back).'),
        attach: attachSchema.optional(),
        action: z
          .string()
          .min(1)
          .optional()
          .describe('With attach: an expression evaluated in the process as one unit of work.'),
        request: z
          .string()
          .url()
          .optional()
          .describe('With attach: a loopback URL requested as one unit of work.'),
        iterations: z
          .number()
          .int()
          .min(2)
          .max(100)
          .optional()
          .describe('Repetitions, each followed by a snapshot (default 8).'),
        ...budget,
      },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    async (args) => {
      if (!args.scenario === !args.attach)
        throw new Error('give either scenario, or attach with action or request');
      let work: WorkSpec | undefined;
      if (args.attach) {
        if (!args.action === !args.request)
          throw new Error('attach needs exactly one of action (an expression) or request (a loopback URL)');
        work = args.action
          ? { kind: 'evaluate', expression: args.action }
          : { kind: 'http', url: args.request! };
      }
      const controller = new AbortController();
      const running = huntReport(
        args.attach
          ? { kind: 'attach', ...parseHostPort(args.attach), work: work! }
          : { kind: 'scenario', scenario: path.resolve(args.scenario!) },
        {
          iterations: args.iterations,
          signal: controller.signal,
          onOutput: (text) => process.stderr.write(text),
        },
      );
      hunts.set(
        controller,
        running.catch(() => undefined),
      );
      try {
        const { report, iterations } = await running;
        const reportHandle = keepReport(report, iterations);
        return json(
          compactReport(report, {
            maxChars: args.maxChars,
            offset: args.offset,
            iterations,
            envelope: { report: reportHandle },
          }),
        );
      } finally {
        hunts.delete(controller);
      }
    },
  );

  server.registerTool(
    'leaks',
    {
      title: "Page through a hunt's leaks",
      description:
        'More of a finished find_leaks answer, by its report handle, without running the hunt again.',
      inputSchema: {
        report: z
          .string()
          .regex(/^r\d+$/)
          .describe('The report handle find_leaks returned.'),
        ...budget,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const r = reports.get(args.report);
      if (!r)
        throw new Error(
          `no report "${args.report}" (reports kept: ${[...reports.keys()].join(', ') || 'none'})`,
        );
      return json(
        compactReport(r.report, {
          maxChars: args.maxChars,
          offset: args.offset,
          iterations: r.iterations,
          envelope: { report: args.report },
        }),
      );
    },
  );

  server.registerTool(
    'load_snapshot',
    {
      title: 'Load a heap snapshot file',
      description:
        'Parse and analyse a .heapsnapshot file once (dominators, retained sizes, distances) and keep it under a ' +
        'handle for the other snapshot tools. The same unchanged file gives back its existing handle.',
      inputSchema: { file: z.string().min(1).describe('Path of a .heapsnapshot file.') },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const { stored, reused } = await store.loadFile(args.file);
      return json({ ...describeSnapshot(stored), reused });
    },
  );

  server.registerTool(
    'take_snapshot',
    {
      title: 'Take a heap snapshot of a running process',
      description:
        'Take a heap snapshot of a Node process started with --inspect on a loopback port, analyse it and keep it under a handle.',
      inputSchema: { attach: attachSchema },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    async (args) => {
      const { host, port } = parseHostPort(args.attach);
      return json(describeSnapshot(await store.take(host, port)));
    },
  );

  server.registerTool(
    'snapshot_summary',
    {
      title: 'Classes of a snapshot',
      description:
        'Classes by retained size: count, self size, retained size, and the id of the member that retains the most.',
      inputSchema: { snapshot: handle, ...budget },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const s = store.get(args.snapshot);
      return json(summaryAnswer(s.analysis, { ...args, envelope: { snapshot: s.handle } }));
    },
  );

  server.registerTool(
    'suspects',
    {
      title: 'Leak suspects in one snapshot',
      description:
        'Accumulation points (a Map, Set, array or listener list holding many objects of one class) and big ' +
        'dominators (one object whose release frees a large share of the heap), each with a sentence, its retainer path and, ' +
        'when tracked, where it was allocated. One snapshot says where memory sits, not what grows: use diff or find_leaks for that.',
      inputSchema: { snapshot: handle, top: z.number().int().min(1).max(50).optional(), ...budget },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const s = store.get(args.snapshot);
      return json(suspectsAnswer(s.analysis, { ...args, envelope: { snapshot: s.handle } }));
    },
  );

  server.registerTool(
    'retainers',
    {
      title: 'Why is this object alive?',
      description:
        'Retainer paths from the GC roots to an object (by id) or to the member of a class that retains the most ' +
        '(by className), each on one line with object ids, long chains folded.',
      inputSchema: {
        snapshot: handle,
        id: z.number().int().min(0).optional().describe('A heap object id (the @N of other answers).'),
        className: z
          .string()
          .min(1)
          .max(500)
          .optional()
          .describe('A class name, e.g. Book: its largest member is explained.'),
        paths: z.number().int().min(1).max(10).optional().describe('How many distinct paths (default 3).'),
        ...budget,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      if ((args.id === undefined) === (args.className === undefined))
        throw new Error('give exactly one of id or className');
      const s = store.get(args.snapshot);
      const a = s.analysis;
      const target =
        args.className !== undefined ? largestOfClass(a, args.className) : a.snapshot.ordinalOfId(args.id!);
      if (target < 0)
        throw new Error(
          args.className !== undefined
            ? `no object of class ${JSON.stringify(args.className.slice(0, 80))} in ${s.handle}`
            : `no object with id ${args.id} in ${s.handle}`,
        );
      return json(retainersAnswer(a, target, { ...args, envelope: { snapshot: s.handle } }));
    },
  );

  server.registerTool(
    'why_alive',
    {
      title: 'Why is the value of an expression alive?',
      description:
        'Evaluate an expression in a process started with --inspect (loopback), take a snapshot, and answer the ' +
        'retainer paths of the object it evaluates to. The snapshot is kept under a handle for further questions.',
      inputSchema: {
        attach: attachSchema,
        expression: z.string().min(1).max(2000),
        paths: z.number().int().min(1).max(10).optional(),
        ...budget,
      },
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    async (args) => {
      const { host, port } = parseHostPort(args.attach);
      const { stored, id } = await store.why(host, port, args.expression);
      const a = stored.analysis;
      return json(
        retainersAnswer(a, a.snapshot.ordinalOfId(id), { ...args, envelope: { snapshot: stored.handle } }),
      );
    },
  );

  server.registerTool(
    'diff',
    {
      title: 'Growth between two snapshots',
      description:
        'Growth by class between two snapshots of one process (earlier first): count before and after, self-size ' +
        'change, and objects added and removed by id (a lower bound: without allocation tracking V8 can give a new object the id ' +
        'of a dead one at the same address). For what grows per unit of work, find_leaks is exact.',
      inputSchema: { before: handle, after: handle, ...budget },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const before = store.get(args.before);
      const after = store.get(args.after);
      return json(
        diffAnswer(before.analysis, after.analysis, {
          ...args,
          envelope: { before: before.handle, after: after.handle },
        }),
      );
    },
  );

  server.registerTool(
    'release_snapshot',
    {
      title: 'Forget a snapshot',
      description: `Free a snapshot's memory. At most ${MAX_SNAPSHOTS} are kept; the least recently used goes first.`,
      inputSchema: { snapshot: handle },
      annotations: { readOnlyHint: false, idempotentHint: true },
    },
    async (args) => json({ released: store.release(args.snapshot), loaded: store.list() }),
  );

  return {
    server,
    close: async () => {
      for (const c of hunts.keys()) c.abort();
      await Promise.all(hunts.values());
      await server.close();
    },
  };
}

/** One text block of JSON (what every client shows) plus the same object as structured content. */
function json(value: object): CallToolResult {
  const text = JSON.stringify(value);
  return { content: [{ type: 'text', text }], structuredContent: value as Record<string, unknown> };
}

export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new Error(`"${s}" is not HOST:PORT`);
  return { host: m[1], port };
}
