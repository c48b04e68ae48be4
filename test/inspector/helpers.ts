// Shared by the inspector tests: real `node --inspect` children, file sinks, and
// checks that nothing was left running. Every wait is bounded by a deadline.

import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { InspectorErrorCode, isInspectorError } from '../../src/inspector';
import type { SnapshotSink } from '../../src/inspector';

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/inspector', name);

const made: string[] = [];

/** A fresh folder under the system temp folder, removed (with its snapshots) when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `heaplens-${prefix}-`));
  if (made.length === 0)
    process.on('exit', () => {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    });
  made.push(dir);
  return dir;
}

export interface Inspectable {
  child: ChildProcess;
  pid: number;
  wsUrl: string;
  host: string;
  port: number;
  /** Resolves with the first stdout line matching `re`. */
  stdoutMatch(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  kill(): Promise<void>;
}

/** Start `node [nodeArgs] --inspect=127.0.0.1:0 <file>` and wait for its inspector URL. */
export async function spawnInspectable(
  file: string,
  timeoutMs = 10_000,
  nodeArgs: string[] = [],
): Promise<Inspectable> {
  const child = spawn(process.execPath, [...nodeArgs, '--inspect=127.0.0.1:0', file], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no inspector URL within ${timeoutMs} ms: ${err}`)),
      timeoutMs,
    );
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      err += t;
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`child exited: ${err}`)));
  });
  const u = new URL(wsUrl);
  return {
    child,
    pid: child.pid!,
    wsUrl,
    host: u.hostname,
    port: Number(u.port),
    stdout: () => stdout,
    stdoutMatch: (re, ms = 10_000) =>
      waitFor(() => re.exec(stdout) ?? undefined, ms, `stdout matching ${re}`),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await withTimeout(exited, 5000, 'child exit');
    },
  };
}

/** Poll a condition on the event loop (no fixed sleeps: it checks as soon as the loop turns). */
export async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function assertGone(pid: number): void {
  assert.ok(pid > 0, 'no pid');
  assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} is still running`);
}

/** Assert `p` rejects with an InspectorError of `code` within `ms`; returns it. */
export async function rejectsWith(
  p: Promise<unknown>,
  code: InspectorErrorCode,
  ms: number,
  message?: RegExp,
) {
  const started = Date.now();
  const err = await withTimeout(
    p.then(
      () => {
        throw new Error(`expected ${code}, but it succeeded`);
      },
      (e: unknown) => e,
    ),
    ms,
    `rejection with ${code}`,
  );
  assert.ok(isInspectorError(err), `expected an InspectorError, got ${String(err)}`);
  assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
  if (message) assert.match(err.message, message);
  assert.ok(Date.now() - started <= ms);
  return err;
}

/** Appends chunks to a file; counts them. */
export class FileSink implements SnapshotSink {
  chunks = 0;
  private readonly fd: number;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  write(chunk: string): void {
    this.chunks++;
    fs.writeSync(this.fd, chunk);
  }
  close(): void {
    fs.closeSync(this.fd);
  }
  parse(): HeapSnapshotJson {
    this.close();
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as HeapSnapshotJson;
  }
}

export interface HeapSnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      trace_function_info_fields: string[];
    };
    node_count: number;
  };
  nodes: number[];
  strings: string[];
  trace_function_infos: number[];
  trace_tree: unknown[];
}

/** How many nodes of type 'object' carry this (constructor) name. */
export function countObjects(s: HeapSnapshotJson, name: string): number {
  const nf = s.snapshot.meta.node_fields.length;
  const typeIdx = s.snapshot.meta.node_fields.indexOf('type');
  const nameIdx = s.snapshot.meta.node_fields.indexOf('name');
  const objectType = s.snapshot.meta.node_types[0].indexOf('object');
  let n = 0;
  for (let i = 0; i < s.nodes.length; i += nf) {
    if (s.nodes[i + typeIdx] === objectType && s.strings[s.nodes[i + nameIdx]] === name) n++;
  }
  return n;
}

export interface TraceFunctionInfo {
  name: string;
  scriptName: string;
  scriptId: number;
  /** 1-based, as V8 writes it. */
  line: number;
  column: number;
}

export function traceFunctionInfos(s: HeapSnapshotJson): TraceFunctionInfo[] {
  const f = s.snapshot.meta.trace_function_info_fields;
  const out: TraceFunctionInfo[] = [];
  for (let i = 0; i < s.trace_function_infos.length; i += f.length) {
    const at = (k: string) => s.trace_function_infos[i + f.indexOf(k)];
    out.push({
      name: s.strings[at('name')],
      scriptName: s.strings[at('script_name')],
      scriptId: at('script_id'),
      line: at('line'),
      column: at('column'),
    });
  }
  return out;
}

/** Pids of this process's live children (Linux /proc); undefined where unsupported. */
export function childPids(): number[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
    return text.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
}

/** The test process has no child processes left (skipped where /proc is unavailable). */
export function assertNoChildren(): void {
  const pids = childPids();
  if (pids) assert.deepEqual(pids, [], `child processes left running: ${pids.join(', ')}`);
}

/** A TCP relay to `port` on loopback that a test can cut, as a dropped connection would be. */
export async function tcpRelay(port: number): Promise<{ port: number; cut(): void; close(): void }> {
  const sockets: net.Socket[] = [];
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(port, '127.0.0.1');
    sockets.push(inbound, outbound);
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => undefined);
    outbound.on('error', () => undefined);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    port: (relay.address() as net.AddressInfo).port,
    cut: () => {
      for (const s of sockets.splice(0)) s.destroy();
    },
    close: () => relay.close(),
  };
}
