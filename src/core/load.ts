// Reading a snapshot file: blocks read in order feed the parser, so the file is never held
// whole, and progress is reported in bytes. On a big file a second thread reads "edges"
// backward from its end meanwhile (parse/edgeSplit.ts); this thread reads up to where the two
// meet, counts the thread's records (already in the columns), and goes on after "edges".

import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { SnapshotParser } from './parser';
import { HeapSnapshot } from './snapshot';
import { SnapshotError } from './errors';
import { EdgeThread, Meeting } from './parse/edgeSplit';
import type { ParsedGraph } from './parse/build';
import type { SnapshotHeader } from './header';

export interface LoadOptions {
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  signal?: AbortSignal;
  chunkSize?: number;
  /** Files at least this big get the edge thread (default 16 MiB); Infinity for one thread. */
  splitMinBytes?: number;
  /** The most the edge thread reads, as a share of the file (default 1: the threads meet wherever they do). */
  splitShare?: number;
  /** Told how many edge records the edge thread read (0 when this thread read them all). */
  onEdgeThread?: (edges: number) => void;
  /** Told the graph once "nodes" and "edges" are read, before the strings (graph/parallel.ts). */
  onGraph?: (g: ParsedGraph) => void;
  /**
   * A dominator thread's worker booted for this load and not yet given its graph: the edge
   * thread's part is read there (parse/edgeRun.ts), not on a worker of its own.
   */
  edgeHost?: Worker | null;
  /**
   * Once the header is read: memory of `bytes` for the reads that follow, or null for a
   * buffer of the load's own (loadAndAnalyze lends the first MiB of an array it needs later).
   */
  readBuffer?: (header: SnapshotHeader, bytes: number) => Buffer | null;
}

const SPLIT_MIN_BYTES = 16 << 20;
/**
 * Reads are this small until the edge thread has started: a read that began before "edges"
 * could otherwise run through all of them before this thread sees it is inside (then it
 * waits for the thread), and on a small file the thread's startup would decide the split.
 */
const EARLY_READ = 64 << 10;

export async function loadSnapshotFile(path: string, options: LoadOptions = {}): Promise<HeapSnapshot> {
  const total = (await fs.promises.stat(path)).size;
  const split = total >= (options.splitMinBytes ?? SPLIT_MIN_BYTES);
  const parser = new SnapshotParser({ totalBytes: total, onGraph: options.onGraph, reserveEdges: split });
  const chunkSize = options.chunkSize ?? 1 << 20;
  const fh = await fs.promises.open(path, 'r');
  // One buffer for every read after the header: the parser copies what it keeps, and a fresh
  // megabyte per read would be garbage the allocator keeps in the process's RSS long after it
  // is freed. Until the header is read, a small one: a buffer of the load's own stayed
  // resident, uncollected, to the analysis' peak.
  let chunk: Buffer = Buffer.allocUnsafe(Math.min(chunkSize, EARLY_READ));
  let sized = false;
  // Every read is claimed at the border first, from the first one on: the edge thread may
  // find "edges" read already (a small file), and then reads nothing.
  const meeting = split ? new Meeting() : null;
  let tail: EdgeThread | null = null;
  let met = false;
  let adopted = 0;
  let tried = !split;
  try {
    for (let pos = 0; pos < total;) {
      if (options.signal?.aborted)
        throw new SnapshotError('cancelled', 'loading was cancelled', parser.bytesRead);
      const header = parser.snapshotHeader;
      if (!sized && header) {
        sized = true;
        chunk = options.readBuffer?.(header, chunkSize) ?? Buffer.allocUnsafe(chunkSize);
      }
      if (!tried && header) {
        tried = true;
        const columns = parser.reservedEdges;
        const limit = Math.floor((options.splitShare ?? 1) * total);
        const data = { file: path, header, from: parser.headerEnd, fileBytes: total, limit };
        if (columns) tail = EdgeThread.start({ ...data, columns }, meeting!, options.edgeHost ?? null);
      }
      let len = Math.min(chunk.length, total - pos);
      if (tail && !tail.isStarted) len = Math.min(len, EARLY_READ);
      if (meeting && !met) {
        if (tail && parser.inEdges) await tail.whenStarted();
        len = meeting.claim(pos, len);
        if (len === 0 && tail) {
          // At the border: the edge thread is done with its part, or is within a block of it.
          const part = await tail.part();
          if (pos < part.border) continue; // it gave back what it had not read whole records of
          met = true;
          const base = parser.edgeBoundary();
          const counted = base >= 0 && base + part.records === header!.edgeCount;
          if (counted && parser.adoptEdges(part.records, part.maxName, part.end)) {
            pos = part.end;
            adopted = part.records;
          } else {
            meeting.release();
          }
          continue;
        }
      }
      const { bytesRead } = await fh.read(chunk, 0, len, pos);
      if (bytesRead === 0) break; // the file shrank: the parser reports where it was cut
      parser.write(bytesRead < chunk.length ? chunk.subarray(0, bytesRead) : chunk);
      pos += bytesRead;
      options.onProgress?.(parser.bytesRead, total);
    }
  } finally {
    await tail?.close();
    await fh.close();
  }
  options.onEdgeThread?.(adopted);
  return parser.end();
}
