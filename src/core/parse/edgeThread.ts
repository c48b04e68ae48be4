// The edge thread (see edgeSplit.ts): finds where "edges" ends, reads it backward a block at a
// time into the shared columns (edgeTail.ts), each block claimed at the border first, and says
// where its part begins once the loading thread has reached it or it met something it does not
// accept.

import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { EdgeThreadData, EdgeThreadMessage, findEdgesEnd, Meeting, readAt } from './edgeSplit';
import { EdgeTail } from './edgeTail';

const BLOCK = 1 << 20;
const data = workerData as EdgeThreadData;
const meeting = new Meeting(data.meeting);
const say = (m: EdgeThreadMessage): void => parentPort!.postMessage(m);

function run(): void {
  const fd = fs.openSync(data.file, 'r');
  try {
    const end = findEdgesEnd(fd, data);
    if (end < 0 || !meeting.start(end)) return;
    say('started');
    const tail = new EdgeTail(data.header, data.columns, end);
    const buf = Buffer.allocUnsafe(BLOCK);
    for (let hi = end, left = data.limit; !tail.stopped && left > 0;) {
      const lo = meeting.next(hi, Math.min(BLOCK, left));
      if (lo < 0) break;
      const n = readAt(fd, buf, lo, hi - lo);
      if (n !== hi - lo) break;
      tail.read(n === BLOCK ? buf : buf.subarray(0, n), lo);
      left -= n;
      hi = lo;
    }
    meeting.finish(tail.border, tail.records, tail.maxName, end);
  } finally {
    fs.closeSync(fd);
  }
}

try {
  run();
} finally {
  // No part, if it stopped before saying one (the loading thread then reads everything).
  meeting.finish(0, 0, 0, -1);
  say('done');
}
