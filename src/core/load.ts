// Reading a snapshot file: blocks read in order feed the parser, so the file is never held
// whole, and progress is reported in bytes. On a big file a second thread reads the tail of
// "edges" from its own offset meanwhile (parse/edgeSplit.ts); this thread stops at the cut,
// takes the thread's part, and goes on after "edges".

import fs from 'node:fs';
import { SnapshotParser } from './parser';
import { HeapSnapshot } from './snapshot';
import { SnapshotError } from './errors';
import { EdgeThread } from './parse/edgeSplit';
import type { ParsedGraph } from './parse/build';

export interface LoadOptions {
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  signal?: AbortSignal;
  chunkSize?: number;
  /** Files at least this big get the edge thread (default 16 MiB); Infinity for one thread. */
  splitMinBytes?: number;
  /** The share of the file the edge thread reads (default 0.5: the two threads read as much). */
  splitShare?: number;
  /** Told how many edge records the edge thread read (0 when this thread read them all). */
  onEdgeThread?: (edges: number) => void;
  /** Told the graph once "nodes" and "edges" are read, before the strings (graph/parallel.ts). */
  onGraph?: (g: ParsedGraph) => void;
}

const SPLIT_MIN_BYTES = 16 << 20;

export async function loadSnapshotFile(path: string, options: LoadOptions = {}): Promise<HeapSnapshot> {
  const total = (await fs.promises.stat(path)).size;
  // The edge thread copies its part while this thread reads on; whoever gets the graph gets
  // it once that copy is done.
  let copying: Promise<void> | null = null;
  const onGraph =
    options.onGraph &&
    ((g: ParsedGraph): void => {
      if (copying)
        void copying.then(
          () => options.onGraph!(g),
          () => undefined,
        );
      else options.onGraph!(g);
    });
  const parser = new SnapshotParser({ totalBytes: total, onGraph });
  const chunkSize = options.chunkSize ?? 1 << 20;
  const fh = await fs.promises.open(path, 'r');
  // One buffer for every read: the parser copies what it keeps, and a fresh megabyte per read
  // would be garbage the allocator keeps in the process's RSS long after it is freed.
  const chunk = Buffer.allocUnsafe(chunkSize);
  let helper: EdgeThread | null = null;
  let copier: EdgeThread | null = null;
  let adopted = 0;
  let tried = total < (options.splitMinBytes ?? SPLIT_MIN_BYTES);
  const drop = async (): Promise<void> => {
    const h = helper;
    helper = null;
    await h?.close();
  };
  try {
    for (let pos = 0; pos < total;) {
      if (options.signal?.aborted)
        throw new SnapshotError('cancelled', 'loading was cancelled', parser.bytesRead);
      const header = parser.snapshotHeader;
      if (!tried && header) {
        tried = true;
        const from = parser.headerEnd;
        helper = EdgeThread.start({
          file: path,
          header,
          from,
          fileBytes: total,
          share: options.splitShare ?? 0.5,
        });
      }
      let len = Math.min(chunkSize, total - pos);
      if (helper) {
        // The plan comes long before this thread is through "nodes"; wait only if it is not.
        const plan = helper.plan ?? (parser.inEdges ? await helper.waitForPlan() : undefined);
        if (plan === null || (plan && pos > plan.split)) await drop();
        else if (plan && pos === plan.split) {
          const base = parser.edgeBoundary();
          const part = base < 0 ? null : await helper.adopt(base, parser.edgeColumns);
          if (part) {
            copier = helper;
            helper = null;
            copying = copier.copied();
            copying.catch(() => undefined); // awaited below; a read that fails first ends it
            parser.adoptEdges(part.count, part.maxName, plan.end);
            pos = plan.end;
            adopted = part.count;
          } else {
            await drop();
          }
          continue;
        } else if (plan) len = Math.min(len, plan.split - pos);
      }
      const { bytesRead } = await fh.read(chunk, 0, len, pos);
      if (bytesRead === 0) break; // the file shrank: the parser reports where it was cut
      parser.write(bytesRead < chunk.length ? chunk.subarray(0, bytesRead) : chunk);
      pos += bytesRead;
      options.onProgress?.(parser.bytesRead, total);
    }
    await copying;
  } finally {
    await drop();
    // Ends the copy too when the read failed before it was done.
    await copier?.close();
    await fh.close();
  }
  options.onEdgeThread?.(adopted);
  return parser.end();
}
