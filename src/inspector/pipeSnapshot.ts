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
import type { ByteSnapshotSink, SnapshotProgress, TakeSnapshotOptions } from './snapshot';
import { DEFAULTS } from '../contracts/defaults';

/** Where the node and edge counts stand in V8's header (the first bytes it writes). */
const HEADER_COUNTS = /"node_count":(\d+),"edge_count":(\d+)/;
/**
 * Bytes V8 writes per node and per edge, about (a node is seven numbers and a newline, an
 * edge three): with the header's counts, an estimate of the file's size for the percent shown.
 */
const BYTES_PER_NODE = 34;
const BYTES_PER_EDGE = 15;

/** A named pipe in a fresh private folder, or null where there are none (Windows, no mkfifo). */
function makePipe(): { dir: string; pipe: string } | null {
  if (process.platform === 'win32') return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heaplens-snapshot-'));
  const pipe = path.join(dir, 'snapshot.pipe');
  const r = spawnSync('mkfifo', ['-m', '600', pipe], { stdio: 'ignore' });
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { dir, pipe };
}

/** What evaluates in the debuggee to write the snapshot into the pipe, and what its failures mean. */
export interface PipeWriter {
  /** The expression that writes the snapshot into `pipe` (a returned promise is awaited). */
  expression(pipe: string): string;
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

/** v8.writeHeapSnapshot into the pipe, in any Node process. */
export function writeHeapSnapshotInto(captureNumericValue: boolean): PipeWriter {
  return {
    // `require` is the inspector's command-line API; getBuiltinModule needs Node ≥ 20.16.
    expression: (pipe) =>
      `(globalThis.process.getBuiltinModule?.('v8') ?? require('v8')).writeHeapSnapshot(${JSON.stringify(pipe)}, { exposeNumericValues: ${captureNumericValue} })`,
    threw: (d) =>
      new InspectorError(
        'PROTOCOL',
        `the debuggee could not write its heap snapshot: ${d.exception?.description ?? d.text}`,
      ),
  };
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
  let estimate = 0;
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
        if (bytes === 0) {
          const m = HEADER_COUNTS.exec(buf.subarray(0, 4096).toString('latin1'));
          if (m) estimate = Number(m[1]) * BYTES_PER_NODE + Number(m[2]) * BYTES_PER_EDGE;
        }
        if (bytes === 0) writer.onFirstByte?.();
        bytes += buf.length;
        try {
          sink.write(buf);
        } catch (e) {
          finish(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        onProgress?.(progress(bytes, estimate, false));
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
            expression: writer.expression(made.pipe),
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
    if (answer!.written) onProgress?.(progress(bytes, estimate, true));
    return answer!;
  } finally {
    reader.destroy();
    // A reader still waiting for a writer (the evaluation failed before opening the pipe) is
    // let go by a writer that opens and closes at once.
    if (bytes === 0) {
      try {
        fs.closeSync(fs.openSync(made.pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      } catch {
        // No reader waiting: nothing to let go.
      }
    }
    fs.rmSync(made.dir, { recursive: true, force: true });
    // On failure V8 may still be busy with the snapshot: the callers end the hunt then (a
    // debuggee we started is killed), so nothing waits for its answer.
    void evaluation?.catch(() => undefined);
  }
}

function progress(done: number, estimate: number, finished: boolean): SnapshotProgress {
  // The estimate can fall short (many strings): hold the percent below 100 until it is done.
  const total = finished ? done : Math.max(estimate, Math.ceil(done / 0.99));
  return { done, total, finished };
}
