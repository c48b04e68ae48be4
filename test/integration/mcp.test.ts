// `heaplens mcp` driven by the MCP SDK's own Client over stdio, as an agent's client runs it:
// the tool list, the book story's leak through find_leaks, retainers on a snapshot file,
// errors for malformed requests (and the server still serving), and no process left once
// the client has gone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, REPO, snapshotOf } from '../helpers/snapshots';
import { processesMentioning, startInspectServer } from '../helpers/processes';

const BOOKS = path.join(REPO, 'examples', 'books', 'scenario.js');

type Answer = Record<string, unknown> & {
  items: Record<string, unknown>[];
  page: { total: number; nextOffset: number | null };
  budget: { maxChars: number };
};

function answer(r: unknown): Answer {
  const result = r as { isError?: boolean; content: { type: string; text: string }[] };
  assert.ok(!result.isError, `the tool answered: ${result.content?.[0]?.text}`);
  const parsed = JSON.parse(result.content[0].text) as Answer;
  assert.ok(
    result.content[0].text.length <= parsed.budget.maxChars,
    `answer within its budget (${result.content[0].text.length} > ${parsed.budget.maxChars})`,
  );
  return parsed;
}

async function exited(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

test(
  'an MCP client lists the tools, finds the book leak, answers retainers on a snapshot file, and the server leaves nothing running',
  { timeout: 240_000 },
  async () => {
    const file = snapshotOf(
      'mcp-shelf',
      `
    class Book { constructor(i) { this.title = 'Book ' + i; } }
    class Shelf { constructor() { this.books = []; } }
    globalThis.shelf = new Shelf();
    for (let i = 0; i < 3000; i++) globalThis.shelf.books.push(new Book(i));`,
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp'],
      cwd: REPO,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d) => {
      stderr += d;
    });
    const client = new Client({ name: 'heaplens-test', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name).sort();
      for (const expected of [
        'diff',
        'find_leaks',
        'load_snapshot',
        'retainers',
        'snapshot_summary',
        'suspects',
        'take_snapshot',
        'why_alive',
      ]) {
        assert.ok(names.includes(expected), `tool ${expected} listed: ${names.join(', ')}`);
      }

      const hunt = answer(
        await client.callTool(
          { name: 'find_leaks', arguments: { scenario: BOOKS, iterations: 6 } },
          undefined,
          { timeout: 180_000 },
        ),
      );
      const top = hunt.items[0];
      assert.equal(top.name, 'Book', `the top leak: ${JSON.stringify(hunt)}`);
      assert.match(
        String(top.at),
        /examples\/books\/books\.js:40:\d+$/,
        'the user frame is the allocating line',
      );
      assert.match(String(top.sentence), /ParseBookError/);
      assert.match(String(top.path), /reasons/);
      assert.match(String(hunt.report), /^r\d+$/);
      const again = answer(
        await client.callTool({ name: 'leaks', arguments: { report: hunt.report, maxChars: 500 } }),
      );
      assert.equal(again.items[0].name, 'Book', 'the report is kept and paged by handle');

      const loaded = answer0(await client.callTool({ name: 'load_snapshot', arguments: { file } }));
      const handle = String(loaded.handle);
      const reused = answer0(await client.callTool({ name: 'load_snapshot', arguments: { file } }));
      assert.equal(reused.handle, handle, 'the same file is loaded once');
      assert.equal(reused.reused, true);

      const byClass = answer(
        await client.callTool({ name: 'retainers', arguments: { snapshot: handle, className: 'Shelf' } }),
      );
      assert.equal((byClass.object as { className: string }).className, 'Shelf');
      assert.match(
        String(byClass.items[0].path),
        /^\(GC roots\).* \.shelf → Shelf @\d+$/,
        `path: ${byClass.items[0].path}`,
      );
      const summary = answer(
        await client.callTool({ name: 'snapshot_summary', arguments: { snapshot: handle, maxChars: 600 } }),
      );
      assert.ok(
        summary.page.nextOffset !== null && summary.page.total > summary.items.length,
        'a small budget pages the class list',
      );
      const book =
        summary.items.find((c) => c.name === 'Book') ??
        answer(
          await client.callTool({ name: 'snapshot_summary', arguments: { snapshot: handle } }),
        ).items.find((c) => c.name === 'Book');
      assert.ok(book, 'Book is among the classes');
      assert.equal(book.count, 3000);
      const byId = answer(
        await client.callTool({ name: 'retainers', arguments: { snapshot: handle, id: book.largestId } }),
      );
      assert.match(
        String(byId.items[0].path),
        /\.shelf → Shelf @\d+ → \.books → Array @\d+ → \[\d+\] → Book @\d+$/,
        `path: ${byId.items[0].path}`,
      );

      const suspects = answer(await client.callTool({ name: 'suspects', arguments: { snapshot: handle } }));
      const shelf = suspects.items.find(
        (x) =>
          x.kind === 'accumulation' &&
          /^Book\b/.test(String((x.members as { name: string } | undefined)?.name)),
      );
      assert.ok(
        shelf,
        `the books array is an accumulation point: ${JSON.stringify(suspects.items).slice(0, 600)}`,
      );
      assert.match(String(shelf.path), /shelf/);

      // Malformed requests: MCP errors, and the server goes on answering.
      const badArgs = (await client.callTool({
        name: 'retainers',
        arguments: { snapshot: 'not-a-handle', id: 'x' },
      })) as { isError?: boolean; content: { text: string }[] };
      assert.equal(badArgs.isError, true);
      assert.match(badArgs.content[0].text, /MCP error -32602/);
      const unknownHandle = (await client.callTool({
        name: 'retainers',
        arguments: { snapshot: 's999', id: 1 },
      })) as { isError?: boolean; content: { text: string }[] };
      assert.equal(unknownHandle.isError, true);
      assert.match(unknownHandle.content[0].text, /no snapshot "s999"/);
      await assert.rejects(
        client.request(
          { method: 'tools/nonsense', params: {} },
          (await import('@modelcontextprotocol/sdk/types.js')).ResultSchema,
        ),
        /-32601|Method not found/,
      );
      assert.equal((await client.listTools()).tools.length, tools.length, 'still serving');
    } finally {
      await client.close();
    }
    assert.ok(await exited(pid, 10_000), `the server exits when its stdin closes: ${stderr}`);
    assert.deepEqual(processesMentioning(BOOKS), [], 'no debuggee left');
    assert.deepEqual(
      processesMentioning(`${CLI} mcp`).filter((p) => p === pid),
      [],
    );
  },
);

function answer0(r: unknown): Record<string, unknown> {
  const result = r as { isError?: boolean; content: { text: string }[] };
  assert.ok(!result.isError, result.content[0].text);
  return JSON.parse(result.content[0].text) as Record<string, unknown>;
}

test(
  'a line that is not JSON gets a JSON-RPC parse error, the next request its answer; closing stdin ends the server',
  { timeout: 30_000 },
  async () => {
    const child = spawn(process.execPath, [CLI, 'mcp'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const lines = async (n: number): Promise<Record<string, unknown>[]> => {
      const until = Date.now() + 15_000;
      while (out.split('\n').filter(Boolean).length < n && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      return out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    child.stdin.write(
      '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}\n',
    );
    await lines(1);
    child.stdin.write('this is not json{\n');
    child.stdin.write('{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n');
    const got = await lines(3);
    const parseError = got.find((m) => m.id === null) as { error: { code: number } } | undefined;
    assert.equal(parseError?.error.code, -32700, JSON.stringify(got).slice(0, 500));
    const list = got.find((m) => m.id === 2) as { result: { tools: unknown[] } } | undefined;
    assert.ok(list && list.result.tools.length >= 8, 'tools/list still answered');
    const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    child.stdin.end();
    assert.equal(await code, 0, 'exits cleanly when stdin closes');
  },
);

test(
  'capture from a process started with --inspect: take_snapshot, diff, why_alive, find_leaks with attach',
  { timeout: 180_000 },
  async () => {
    const server = await startInspectServer();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp'],
      cwd: REPO,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'heaplens-test', version: '1.0.0' });
    await client.connect(transport);
    const attach = `127.0.0.1:${server.inspectPort}`;
    try {
      const before = answer0(await client.callTool({ name: 'take_snapshot', arguments: { attach } }));
      for (let i = 0; i < 50; i++)
        await fetch(`http://127.0.0.1:${server.httpPort}/work`).then((r) => r.text());
      const after = answer0(await client.callTool({ name: 'take_snapshot', arguments: { attach } }));
      assert.notEqual(before.handle, after.handle);
      const diff = answer(
        await client.callTool({ name: 'diff', arguments: { before: before.handle, after: after.handle } }),
      );
      const grown = diff.items.find((r) => r.name === 'HeapLensRequestLeak');
      assert.ok(grown, `the diff names the class that grew: ${JSON.stringify(diff.items.slice(0, 5))}`);
      assert.equal(Number(grown.countAfter) - Number(grown.countBefore), 50);
      // (Not `added`: without allocation tracking V8 may give a new object the id of a dead one
      // that had its address, so ids across two plain snapshots under-count what is new.)

      const why = answer(
        await client.callTool({
          name: 'why_alive',
          arguments: { attach, expression: 'globalThis.heapLensMarker' },
        }),
      );
      assert.equal((why.object as { className: string }).className, 'HeapLensMarker');
      assert.match(
        String(why.items[0].path),
        /\.heapLensMarker → HeapLensMarker @\d+$/,
        String(why.items[0].path),
      );

      const hunt = answer(
        await client.callTool(
          {
            name: 'find_leaks',
            arguments: {
              attach,
              request: `http://127.0.0.1:${server.httpPort}/work`,
              iterations: 4,
            },
          },
          undefined,
          { timeout: 150_000 },
        ),
      );
      assert.ok(
        hunt.items.some((l) => l.name === 'HeapLensRequestLeak'),
        `the attach hunt finds the per-request leak: ${JSON.stringify(hunt.items.map((l) => l.name))}`,
      );
      const remote = (await client.callTool({
        name: 'take_snapshot',
        arguments: { attach: '192.0.2.10:9229' },
      })) as { isError?: boolean; content: { text: string }[] };
      assert.equal(remote.isError, true);
      assert.match(remote.content[0].text, /non-loopback/);
      assert.equal(server.process.exitCode, null, 'the attached process keeps running');
    } finally {
      await client.close();
      server.process.stdin.end();
    }
  },
);
