// The hunt's one snapshot of a debuggee on this machine, written by the debuggee itself
// (v8.writeHeapSnapshot) into a named pipe we read and parse as it is written.
//
// Why not CDP: over the inspector every chunk is turned into UTF-16, escaped into a JSON
// message and sent through the inspector's thread, all while V8 holds the debuggee's main
// thread; on a ~100 MB heap that took about twice as long as v8.writeHeapSnapshot writing the
// same heap to a file (docs/v8-facts.md). The file writer is the floor, and the pipe lets the
// parser run on our side while V8 is still writing, with no file on disk. It is the same
// snapshot: the same heap profiler, so the same object ids and, with allocation tracking on,
// the allocation traces. Closing our end (cancel) makes V8's next write fail, which should abort
// the serialisation (not checked by experiment; the hunt kills the debuggee after a cancel anyway).
// A scripted hunt's harness writes it from the same evaluation as the last unit of work
// (harness.ts finish), so no heap-stats push runs between the two.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Protocol } from 'devtools-protocol';
import type { CdpClient } from './cdp';
import { InspectorError, abortError } from './errors';
import type { ByteSnapshotSink, TakeSnapshotOptions } from './snapshot';
import { ProgressMeter } from './snapshotProgress';
import { DEFAULTS } from '../contracts/defaults';

/** A named pipe in a fresh private folder, or null where there are none (Windows, no mkfifo). */
function makePipe(): { dir: string; pipe: string; ref: PipeRef } | null {
  if (process.platform === 'win32') return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-snapshot-'));
  const pipe = path.join(dir, 'snapshot.pipe');
  const r = spawnSync('mkfifo', ['-m', '600', pipe], { stdio: 'ignore' });
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const st = fs.statSync(pipe);
  return { dir, pipe, ref: { path: pipe, dev: st.dev, ino: st.ino } };
}

/** What evaluates in the debuggee to write the snapshot into the pipe, and what its failures mean. */
export interface PipeWriter {
  /** The expression that writes the snapshot into the pipe (a returned promise is awaited). */
  expression(pipe: PipeRef): string;
  /** Added to the idle bound before V8's first byte: time for work the expression does first (ms). */
  leadMs?: number;
  /** Called once, when V8's first byte arrives. */
  onFirstByte?: () => void;
  /** Whether the expression's value says it wrote the snapshot (default: it always does). */
  wrote?(value: unknown): boolean;
  /** The error for an exception the expression threw. */
  threw(details: Protocol.Runtime.ExceptionDetails): Error;
}

/** The expression's value, where its answer stands in the message order, and whether it wrote a snapshot. */
export interface PipedSnapshot {
  value: unknown;
  seq: number;
  written: boolean;
}

/** Our pipe: its path, and its device and inode, which a process on another machine cannot see. */
export interface PipeRef {
  path: string;
  dev: number;
  ino: number;
}

/**
 * v8.writeHeapSnapshot into the pipe, in any Node process. With `probe` (a process we did not start),
 * it first checks that the debuggee sees this very pipe (same device and inode: the same machine
 * and file system) and may write it (the same user); if not it writes nothing and answers false,
 * and the snapshot is taken over CDP. The check cannot throw, so it cannot pause a debuggee set to
 * pause on exceptions (and `silent` evaluation would not let it anyway).
 */
export function writeHeapSnapshotInto(captureNumericValue: boolean, probe = false): PipeWriter {
  return {
    // `require` is the inspector's command-line API; getBuiltinModule needs Node ≥ 20.16.
    expression: (pipe) => {
      const p = JSON.stringify(pipe.path);
      const write = `m('v8').writeHeapSnapshot(${p}, { exposeNumericValues: ${captureNumericValue} })`;
      const check = probe
        ? `try { const fs = m('fs'); const st = fs.statSync(${p}); ` +
          `if (!st.isFIFO() || st.dev !== ${pipe.dev} || st.ino !== ${pipe.ino}) return false; ` +
          `fs.accessSync(${p}, fs.constants.W_OK); } catch { return false; } `
        : '';
      return `(() => { const m = (n) => globalThis.process?.getBuiltinModule?.(n) ?? require(n); ${check}${write}; return true; })()`;
    },
    wrote: (v) => v === true,
    threw: (d) =>
      new InspectorError(
        'PROTOCOL',
        `the debuggee could not write its heap snapshot: ${d.exception?.description ?? d.text}`,
      ),
  };
}

/** How long a reader that never saw a writer is let go for, at most (ms). */
const LET_GO_MS = 5000;
/** Between two writers opened to let it go (ms). */
const LET_GO_RETRY_MS = 10;

/**
 * Ends a reader that may never have seen a writer (the evaluation failed, or answered without
 * writing). Its open waits for a writer in libuv's thread pool, and a destroyed stream still
 * waits for that open: stuck there, it would hold a pool thread and keep the process alive
 * for good (a CLI that never exits). A writer that opens and closes at once lets it go, but
 * only once the open is under way: before that, a non-blocking writer finds no reader (ENXIO),
 * and the open starts later (seen: every time when the stream is destroyed at once). So
 * writers are opened until the stream has closed.
 */
async function letGo(reader: fs.ReadStream, pipe: string): Promise<void> {
  if (reader.closed) return;
  const closed = new Promise<void>((resolve) => reader.once('close', () => resolve()));
  reader.destroy();
  const until = Date.now() + LET_GO_MS;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    } catch {
      // No reader waiting yet (ENXIO), or it has gone: the wait below tells.
    }
    const done = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), LET_GO_RETRY_MS)),
    ]);
    if (done || Date.now() > until) return;
  }
}

/**
 * Stream a snapshot the debuggee writes itself into `sink`. Resolves null, having done
 * nothing, when this machine has no named pipes; the caller then takes it over CDP.
 */
export async function pipeSnapshot(
  client: CdpClient,
  sink: ByteSnapshotSink,
  options: TakeSnapshotOptions = {},
  writer: PipeWriter = writeHeapSnapshotInto(options.captureNumericValue ?? false),
): Promise<PipedSnapshot | null> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortError(signal, 'the heap snapshot');
  const made = makePipe();
  if (!made) return null;
  const idleMs = options.idleTimeoutMs ?? DEFAULTS.snapshotIdleTimeoutMs;
  // Opening a pipe's read end waits (in libuv's thread pool) for a writer: the debuggee's.
  const reader = fs.createReadStream(made.pipe, { highWaterMark: 1 << 20 });
  let bytes = 0;
  // v8.writeHeapSnapshot says nothing while it walks the heap (most of the time): the meter's
  // heartbeat says it is alive, then the bytes against the header's estimate.
  const meter = new ProgressMeter(onProgress);
  meter.silentWalk();
  let evaluation: Promise<unknown> | undefined;
  let answer: PipedSnapshot | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      const arm = (ms = idleMs): void => {
        if (idle) clearTimeout(idle);
        idle = setTimeout(
          () => finish(new InspectorError('TIMEOUT', `the heap snapshot made no progress for ${ms} ms`)),
          ms,
        );
      };
      let ended = false;
      let settled = false;
      const finish = (err?: Error): void => {
        if (settled) return;
        // Done when V8 has closed the pipe and the expression has answered, or it answered without writing.
        if (!err && !(answer && (ended || !answer.written))) return;
        settled = true;
        if (idle) clearTimeout(idle);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = (): void => finish(abortError(signal!, 'the heap snapshot'));
      signal?.addEventListener('abort', onAbort, { once: true });
      reader.on('data', (chunk) => {
        if (settled) return;
        arm();
        const buf = chunk as Buffer;
        if (bytes === 0) writer.onFirstByte?.();
        bytes += buf.length;
        try {
          sink.write(buf);
        } catch (e) {
          finish(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        meter.received(buf);
      });
      reader.on('end', () => {
        ended = true;
        finish();
      });
      reader.on('error', (e) =>
        finish(new InspectorError('PROTOCOL', `reading the heap snapshot failed: ${e.message}`)),
      );
      arm(idleMs + (writer.leadMs ?? 0));
      let seq = -1;
      evaluation = client
        .call(
          'Runtime.evaluate',
          {
            expression: writer.expression(made.ref),
            includeCommandLineAPI: true,
            awaitPromise: true,
            returnByValue: true,
            silent: true,
          },
          // Bounded by the idle watchdog instead: a healthy multi-GB snapshot takes minutes.
          { timeoutMs: Infinity, onAnswer: (at) => (seq = at) },
        )
        .then((res) => {
          if (res.exceptionDetails) throw writer.threw(res.exceptionDetails);
          const value: unknown = res.result.value;
          answer = { value, seq, written: writer.wrote?.(value) ?? true };
          finish();
        });
      evaluation.catch((e: Error) => finish(e));
    });
    if (answer!.written) meter.finished();
    return answer!;
  } finally {
    meter.stop();
    if (bytes === 0) await letGo(reader, made.pipe);
    else reader.destroy();
    fs.rmSync(made.dir, { recursive: true, force: true });
    // On failure V8 may still be busy with the snapshot: the callers end the hunt then (a
    // debuggee we started is killed), so nothing waits for its answer.
    void evaluation?.catch(() => undefined);
  }
}
