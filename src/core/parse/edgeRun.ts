// The edge thread's work (see edgeSplit.ts): finds where "edges" ends, reads it backward a
// block at a time into the shared columns (edgeTail.ts), each block claimed at the border
// first, and says where its part begins once the loading thread has reached it or it met
// something it does not accept. It runs on a thread of its own (edgeThread.ts) or first thing
// on the dominator thread of a load that analyses too (graph/dominatorThread.ts), which has
// nothing to do until "edges" is read, so that a load boots one worker, not two.

import fs from 'node:fs';
import { EdgeThreadData, EdgeThreadMessage, findEdgesEnd, Meeting, readAt } from './edgeSplit';
import { EdgeTail } from './edgeTail';

/** The reads' size, and the least a buffer given to readEdgesBackward holds. */
export const EDGE_BLOCK = 1 << 20;

function run(
  data: EdgeThreadData,
  meeting: Meeting,
  say: (m: EdgeThreadMessage) => void,
  given: Buffer | undefined,
): void {
  const fd = fs.openSync(data.file, 'r');
  try {
    // One buffer for the search and the reads: on the dominator thread, whatever this thread
    // allocates stays resident until that isolate collects, which may be never before the
    // peak, so that thread lends memory it needs later anyway.
    const buf = given ?? Buffer.allocUnsafe(EDGE_BLOCK);
    const end = findEdgesEnd(fd, data, buf);
    if (end < 0 || !meeting.start(end)) return;
    say('started');
    const tail = new EdgeTail(data.header, data.columns, end);
    for (let hi = end, left = data.limit; !tail.stopped && left > 0;) {
      const lo = meeting.next(hi, Math.min(EDGE_BLOCK, left));
      if (lo < 0) break;
      const n = readAt(fd, buf, lo, hi - lo);
      if (n !== hi - lo) break;
      tail.read(n === EDGE_BLOCK ? buf : buf.subarray(0, n), lo);
      left -= n;
      hi = lo;
    }
    meeting.finish(tail.border, tail.records, tail.maxName, end);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the part of "edges" the loading thread does not; says 'done' in every case. It reports
 * no errors: whatever stops it (a read that fails, a bug) leaves the loading thread all of
 * "edges", as when its own worker dies, and on the dominator thread it must not end the
 * analysis that thread is there for. `buf`, if it holds EDGE_BLOCK bytes, is lent memory the
 * reads go into.
 */
export function readEdgesBackward(
  data: EdgeThreadData,
  say: (m: EdgeThreadMessage) => void,
  buf?: Buffer,
): void {
  const meeting = new Meeting(data.meeting);
  try {
    run(data, meeting, say, buf && buf.length >= EDGE_BLOCK ? buf.subarray(0, EDGE_BLOCK) : undefined);
  } catch {
    // No part (below): the loading thread reads everything.
  } finally {
    // No part, if it stopped before saying one (the loading thread then reads everything).
    meeting.finish(0, 0, 0, -1);
    say('done');
  }
}
