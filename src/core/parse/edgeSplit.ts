// The second core during the parse of a file. "edges" is about two thirds of a snapshot's
// bytes and is read digit by digit on one thread, so a second thread (edgeThread.ts) reads the
// tail of "edges" from its own file offset while this thread reads everything before it, then
// the strings. Two things make the cut safe:
//  - where "edges" lies is found without parsing: nothing between the header and "edges" may
//    hold a quote (the nodes are numbers), so the second key after the header is "edges", and
//    its first "]" closes it;
//  - V8 ends every edge record with a newline, so the cut is put just after one. Whether that
//    newline really ends a record is known only to the thread reading from the start: it
//    adopts the part when it stands between two records at the cut, and reads the part itself
//    otherwise (another writer's layout, a broken file: same result, same error, one core).
// A CDP stream has no offsets to seek to and arrives at V8's serialisation speed, several
// times slower than this parser, so it is read on one thread (see docs/engine.md).

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SnapshotHeader } from '../header';
import type { NodeColumns } from './columns';
import { NumberArrays } from './numbers';

/** Where the edge thread's part lies: from `split` (a "," after a newline) to `end` (the closing "]"). */
export interface EdgePlan {
  split: number;
  end: number;
}

export type EdgeColumns = Pick<NodeColumns, 'edgeType' | 'edgeName' | 'edgeTarget'>;

export interface EdgeThreadData {
  file: string;
  header: SnapshotHeader;
  /** Offset just past the "snapshot" header. */
  from: number;
  fileBytes: number;
  /** The share of the file's bytes the edge thread reads (its part ends where "edges" ends). */
  share: number;
}

export type EdgeThreadMessage =
  | { type: 'plan'; plan: EdgePlan | null }
  | { type: 'counted'; count: number; maxName: number }
  | { type: 'adopted'; count: number }
  | { type: 'failed'; message: string };

export interface AdoptRequest extends EdgeColumns {
  base: number;
}

const BLOCK = 1 << 20;

/** The first offset in [from, to) holding `byte`, or -1. */
function findByte(fd: number, byte: number, from: number, to: number, buf: Buffer): number {
  for (let pos = from; pos < to;) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, to - pos), pos);
    if (n <= 0) return -1;
    const i = buf.subarray(0, n).indexOf(byte);
    if (i >= 0) return pos + i;
    pos += n;
  }
  return -1;
}

/** The offset just past `"key":[` at `at`, or -1 when another key (or anything else) is there. */
function keyedArrayStart(fd: number, at: number, key: string, buf: Buffer): number {
  const n = fs.readSync(fd, buf, 0, 64, at);
  const m = /^"([a-z_]+)"[ \t\r\n]*:[ \t\r\n]*\[/.exec(buf.toString('latin1', 0, n));
  return m && m[1] === key ? at + m[0].length : -1;
}

/** Finds "edges" and cuts off its tail for the edge thread, or says why not (null). */
export function planEdgeSplit(fd: number, d: EdgeThreadData): EdgePlan | null {
  const buf = Buffer.allocUnsafe(BLOCK);
  const QUOTE = 0x22,
    CLOSE = 0x5d,
    NEWLINE = 0x0a,
    COMMA = 0x2c;
  const nodesKey = findByte(fd, QUOTE, d.from, d.fileBytes, buf);
  const nodesStart = nodesKey < 0 ? -1 : keyedArrayStart(fd, nodesKey, 'nodes', buf);
  if (nodesStart < 0) return null;
  const edgesKey = findByte(fd, QUOTE, nodesStart, d.fileBytes, buf);
  const edgesStart = edgesKey < 0 ? -1 : keyedArrayStart(fd, edgesKey, 'edges', buf);
  if (edgesStart < 0) return null;
  const end = findByte(fd, CLOSE, edgesStart, d.fileBytes, buf);
  if (end < 0) return null;
  // Never at the very start of "edges": the loading thread may be there before the plan is.
  const cut = Math.max(edgesStart + (end - edgesStart) / 8, end - d.fileBytes * d.share);
  const newline = findByte(fd, NEWLINE, Math.floor(cut), end, buf);
  if (newline < 0 || fs.readSync(fd, buf, 0, 1, newline + 1) !== 1 || buf[0] !== COMMA) return null;
  return { split: newline + 1, end };
}

/** Reads the part [plan.split, plan.end] into columns of its own; throws on anything malformed. */
export function readEdgePart(
  fd: number,
  header: SnapshotHeader,
  plan: EdgePlan,
): { columns: EdgeColumns; count: number; maxName: number } {
  const bytes = plan.end + 1 - plan.split;
  const numbers = new NumberArrays(header, bytes, (code, message) => {
    throw new Error(`${code}: ${message}`);
  });
  numbers.beginEdgePart(header.nodeCount);
  const buf = Buffer.allocUnsafe(BLOCK);
  for (let pos = plan.split; !numbers.done;) {
    const n = fs.readSync(fd, buf, 0, Math.min(BLOCK, plan.end + 1 - pos), pos);
    if (n <= 0) throw new Error('the file ended inside "edges"');
    numbers.read(n === BLOCK ? buf : buf.subarray(0, n), 0);
    pos += n;
  }
  return { columns: numbers.columns, count: numbers.edgesRead, maxName: numbers.maxEdgeName };
}

/** This thread's side: starts the edge thread and hears its plan and its part. */
export class EdgeThread {
  /** undefined until the thread has looked; null when it will not help. */
  plan: EdgePlan | null | undefined = undefined;
  private readonly worker: Worker;
  private readonly inbox: EdgeThreadMessage[] = [];
  private wake: (() => void) | null = null;
  private failed = false;

  static threadPath = path.join(__dirname, 'edgeThread.js');

  static start(data: EdgeThreadData): EdgeThread | null {
    return fs.existsSync(EdgeThread.threadPath) ? new EdgeThread(data) : null;
  }

  private constructor(data: EdgeThreadData) {
    this.worker = new Worker(EdgeThread.threadPath, { workerData: data });
    const hear = (m: EdgeThreadMessage): void => {
      if (m.type === 'plan') this.plan = m.plan;
      else if (m.type === 'failed') this.failed = true;
      else this.inbox.push(m);
      if (this.plan === undefined && this.failed) this.plan = null;
      this.wake?.();
    };
    this.worker.on('message', hear);
    this.worker.on('error', (e) => hear({ type: 'failed', message: e.message }));
    this.worker.on('exit', () => hear({ type: 'failed', message: 'the edge thread stopped' }));
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  async waitForPlan(): Promise<EdgePlan | null> {
    await this.until(() => this.plan !== undefined);
    return this.plan ?? null;
  }

  /**
   * Has the thread write its part after `base` into `columns`: the records it will write and
   * their largest string name, or null (then it writes nothing). They are all written once copied() resolves.
   */
  async adopt(base: number, columns: EdgeColumns): Promise<{ count: number; maxName: number } | null> {
    const request: AdoptRequest = { base, ...columns };
    this.worker.postMessage(request);
    await this.until(() => this.failed || this.inbox.length > 0);
    const m = this.inbox.shift();
    return m?.type === 'counted' ? m : null;
  }

  async copied(): Promise<void> {
    await this.until(() => this.failed || this.inbox.length > 0);
    if (this.inbox.shift()?.type !== 'adopted')
      throw new Error('the edge thread stopped while copying its part');
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}
