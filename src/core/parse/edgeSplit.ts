// The second core during the parse of a file. "edges" is about two thirds of a snapshot's
// bytes and is read digit by digit, so while this thread reads from the start (the nodes,
// then "edges" forward), the edge thread (edgeRun.ts, edgeTail.ts: a worker of its own, or
// first thing the dominator thread of a load does, which waits for "edges" anyway) reads
// "edges" backward from its closing "]", straight into the shared edge columns reserved when
// the header was read. The two meet wherever they meet, so both finish "edges" at about the same time
// whatever the file's layout and the machine's load; nothing is copied afterwards.
//  - Where "edges" ends is found without parsing: from the file's end, the "]" before the key
//    that follows "edges" (V8 writes "trace_function_infos" next), else from the header, the
//    first "]" after the second key (nothing before it may hold a quote: the nodes are numbers).
//    A wrong guess costs only the help: see the check at the meeting.
//  - The border (Meeting) is one shared word each way and a lock, taken once per block read
//    (1 MiB): this thread claims up to where the other has read down to, and the other claims
//    down to where this one has read up to. The edge thread ends its part just past a "," below
//    a whole record, by its own count from the "]"; whether that count is right only this
//    thread can tell, from its own count from the start, when it reaches the border: it adopts
//    the part when it stands just past that "," with whole records and the two counts add up
//    to the header's, and reads the part itself otherwise (another writer's layout, a broken
//    file: the same columns or the same error, one core slower).
// A CDP stream has no offsets to seek to and arrives at V8's serialisation speed, several
// times slower than this parser, so it is read on one thread (see docs/engine.md).

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SnapshotHeader } from '../header';
import type { NodeColumns } from './columns';

export type EdgeColumns = Pick<NodeColumns, 'edgeType' | 'edgeName' | 'edgeTarget'>;

export interface EdgeThreadData {
  file: string;
  header: SnapshotHeader;
  /** Offset just past the "snapshot" header. */
  from: number;
  fileBytes: number;
  /** The most bytes the edge thread reads (tests move the border with it). */
  limit: number;
  /** Shared, of the header's edge count: the edge thread writes its records there. */
  columns: EdgeColumns;
  meeting: SharedArrayBuffer;
}

export type EdgeThreadMessage = 'started' | 'done';

/** What a host worker (a load's dominator thread, not yet given its graph) is sent, and says back. */
export interface EdgeJob {
  type: 'edges';
  data: EdgeThreadData;
}
export interface EdgeJobReply {
  type: 'edges';
  message: EdgeThreadMessage;
}

/** The edge thread's part once it is done: this thread reads everything before `border`. */
export interface TailPart {
  border: number;
  records: number;
  maxName: number;
  /** The closing "]" of "edges": where this thread goes on after adopting the part. */
  end: number;
}

/** Int32 slots: the lock, and whether the edge thread is done. */
const LOCK = 0,
  DONE = 1;
/** Float64 slots (after the two Int32 ones). */
const FORWARD = 1,
  BACKWARD = 2,
  RECORDS = 3,
  MAX_NAME = 4,
  END = 5;

/** The border between the two threads' parts of "edges", in shared memory. */
export class Meeting {
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;

  /** A new border (nothing claimed either way), or the other thread's. */
  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(8 * 6);
    this.i32 = new Int32Array(this.buffer, 0, 2);
    this.f64 = new Float64Array(this.buffer);
    if (!buffer) this.f64[BACKWARD] = Infinity;
  }

  /** The section is a few loads and stores: spinning costs less than waiting would. */
  private locked<T>(section: () => T): T {
    while (Atomics.compareExchange(this.i32, LOCK, 0, 1) !== 0);
    try {
      return section();
    } finally {
      Atomics.store(this.i32, LOCK, 0);
    }
  }

  /** This thread: how many of the `len` bytes at `pos` it may read (0 at the border). */
  claim(pos: number, len: number): number {
    return this.locked(() => {
      const upTo = Math.min(pos + len, this.f64[BACKWARD]);
      if (upTo > this.f64[FORWARD]) this.f64[FORWARD] = upTo;
      return Math.max(0, upTo - pos);
    });
  }

  /** This thread reads on past the border (it did not adopt the part). */
  release(): void {
    this.locked(() => (this.f64[BACKWARD] = Infinity));
  }

  /** The edge thread: starts at the "]" at `end`, unless this thread is there already. */
  start(end: number): boolean {
    return this.locked(() => {
      if (this.f64[FORWARD] >= end) return false;
      this.f64[BACKWARD] = end;
      return true;
    });
  }

  /** The edge thread: claims the block below `hi`, at most `block` bytes; where it starts, or -1. */
  next(hi: number, block: number): number {
    return this.locked(() => {
      const forward = this.f64[FORWARD];
      if (forward >= hi) return -1;
      const lo = Math.max(hi - block, forward);
      this.f64[BACKWARD] = lo;
      return lo;
    });
  }

  /** The edge thread: its part is [border, end) with `records` records (none: this thread reads all). */
  finish(border: number, records: number, maxName: number, end: number): void {
    this.locked(() => {
      if (Atomics.load(this.i32, DONE) === 1) return;
      this.f64[BACKWARD] = records > 0 ? border : Infinity;
      this.f64[RECORDS] = records;
      this.f64[MAX_NAME] = maxName;
      this.f64[END] = end;
      Atomics.store(this.i32, DONE, 1);
    });
  }

  get done(): boolean {
    return Atomics.load(this.i32, DONE) === 1;
  }

  part(): TailPart {
    return this.locked(() => ({
      border: this.f64[BACKWARD],
      records: this.f64[RECORDS],
      maxName: this.f64[MAX_NAME],
      end: this.f64[END],
    }));
  }
}

const BLOCK = 1 << 20;

/** Reads [pos, pos + len) into buf, or fewer bytes at the file's end. */
export function readAt(fd: number, buf: Buffer, pos: number, len: number): number {
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, buf, got, len - got, pos + got);
    if (n <= 0) break;
    got += n;
  }
  return got;
}

/** The first offset in [from, to) holding `byte`, or -1. */
function findByte(fd: number, byte: number, from: number, to: number, buf: Buffer): number {
  for (let pos = from; pos < to;) {
    const n = readAt(fd, buf, pos, Math.min(buf.length, to - pos));
    if (n <= 0) return -1;
    const i = buf.subarray(0, n).indexOf(byte);
    if (i >= 0) return pos + i;
    pos += n;
  }
  return -1;
}

/** The offset just past `"key":[` at `at`, or -1 when another key (or anything else) is there. */
function keyedArrayStart(fd: number, at: number, key: string, buf: Buffer): number {
  const n = readAt(fd, buf, at, 64);
  const m = /^"([a-z_]+)"[ \t\r\n]*:[ \t\r\n]*\[/.exec(buf.toString('latin1', 0, n));
  return m && m[1] === key ? at + m[0].length : -1;
}

const NEXT_KEY = Buffer.from('"trace_function_infos"');

/**
 * From the file's end, the "]" just before `,"trace_function_infos":`, looking through at most
 * a quarter of the file (the strings come after it; a file of long strings is searched from
 * the start instead); -1 when not found.
 */
function edgesEndFromTail(fd: number, d: EdgeThreadData, buf: Buffer): number {
  const floor = Math.max(d.from, d.fileBytes - Math.max(Math.floor(d.fileBytes / 4), BLOCK));
  const ws = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
  for (let hi = d.fileBytes; hi > floor;) {
    const lo = Math.max(floor, hi - buf.length);
    const block = buf.subarray(0, readAt(fd, buf, lo, hi - lo));
    for (let i = block.lastIndexOf(NEXT_KEY); i >= 0; i = i === 0 ? -1 : block.lastIndexOf(NEXT_KEY, i - 1)) {
      let a = i - 1;
      while (a >= 0 && ws(block[a])) a--;
      if (a < 0 || block[a--] !== 0x2c) continue;
      while (a >= 0 && ws(block[a])) a--;
      let b = i + NEXT_KEY.length;
      while (b < block.length && ws(block[b])) b++;
      if (a >= 0 && block[a] === 0x5d && block[b] === 0x3a) return lo + a;
    }
    if (lo === floor) break;
    // The blocks overlap, so that a key and its spaces cut by a block's start are found whole.
    hi = lo + 256;
  }
  return -1;
}

/** Where "edges" ends (its "]"), or -1; `buf` (a block, or more) is scratch for the reads. */
export function findEdgesEnd(fd: number, d: EdgeThreadData, buf: Buffer): number {
  const fromTail = edgesEndFromTail(fd, d, buf);
  if (fromTail >= 0) return fromTail;
  const QUOTE = 0x22,
    CLOSE = 0x5d;
  const nodesKey = findByte(fd, QUOTE, d.from, d.fileBytes, buf);
  const nodesStart = nodesKey < 0 ? -1 : keyedArrayStart(fd, nodesKey, 'nodes', buf);
  if (nodesStart < 0) return -1;
  const edgesKey = findByte(fd, QUOTE, nodesStart, d.fileBytes, buf);
  const edgesStart = edgesKey < 0 ? -1 : keyedArrayStart(fd, edgesKey, 'edges', buf);
  return edgesStart < 0 ? -1 : findByte(fd, CLOSE, edgesStart, d.fileBytes, buf);
}

/** This thread's side: starts the edge thread, and tells where the border is. */
export class EdgeThread {
  private readonly worker: Worker;
  private readonly done: Promise<void>;
  private started = false;
  /** Resolves once the thread has found "edges" and claims from its end, or gave up. */
  private readonly ready: Promise<void>;
  /** Stops listening to a host worker, which goes on as the dominator thread. */
  private readonly detach: (() => void) | null = null;

  static threadPath = path.join(__dirname, 'edgeThread.js');

  /**
   * `meeting` holds what this thread has read already: every read is claimed there first.
   * With `host` (a dominator thread booted for this load), the part is read there rather than
   * on a worker of its own: one worker fewer to boot (~40 ms of CPU, while both cores parse).
   */
  static start(
    data: Omit<EdgeThreadData, 'meeting'>,
    meeting: Meeting,
    host: Worker | null = null,
  ): EdgeThread | null {
    return host || fs.existsSync(EdgeThread.threadPath) ? new EdgeThread(data, meeting, host) : null;
  }

  private constructor(
    data: Omit<EdgeThreadData, 'meeting'>,
    private readonly meeting: Meeting,
    host: Worker | null,
  ) {
    const workerData: EdgeThreadData = { ...data, meeting: meeting.buffer };
    if (host) host.postMessage({ type: 'edges', data: workerData } satisfies EdgeJob);
    this.worker = host ?? new Worker(EdgeThread.threadPath, { workerData });
    let isReady = (): void => undefined;
    this.ready = new Promise<void>((resolve) => (isReady = resolve));
    let gone = (): void => undefined;
    const said = (m: EdgeThreadMessage | EdgeJobReply): EdgeThreadMessage | null =>
      !host ? (m as EdgeThreadMessage) : typeof m === 'object' && m?.type === 'edges' ? m.message : null;
    const onMessage = (m: EdgeThreadMessage | EdgeJobReply): void => {
      const message = said(m);
      if (message === null) return;
      isReady();
      if (message === 'done') gone();
    };
    this.done = new Promise<void>((resolve) => {
      // A thread gone before it said where its part is leaves this thread everything.
      gone = (): void => {
        this.meeting.finish(0, 0, 0, -1);
        isReady();
        resolve();
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', gone);
      this.worker.once('exit', gone);
    });
    if (host)
      this.detach = () => {
        host.off('message', onMessage);
        host.off('error', gone);
        host.off('exit', gone);
      };
    void this.ready.then(() => (this.started = true));
  }

  /**
   * Waits, once this thread is inside "edges", for the edge thread to have started from the
   * end (or given up): on a file worth the thread that is long done, and on a small one
   * (the tests') the thread's startup would otherwise decide whether it helps at all.
   */
  async whenStarted(): Promise<void> {
    if (!this.started) await this.ready;
  }

  /** Whether the thread has started from the end (or given up). */
  get isStarted(): boolean {
    return this.started;
  }

  /** The edge thread's part, once it is done (at once when this thread stands at the border). */
  async part(): Promise<TailPart> {
    if (!this.meeting.done) await this.done;
    return this.meeting.part();
  }

  /** Ends the thread; a host goes on (its owner ends it, and it is past "edges" unless the load failed). */
  async close(): Promise<void> {
    if (this.detach) return this.detach();
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}
