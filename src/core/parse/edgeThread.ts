// The edge thread (see edgeSplit.ts): finds the tail of "edges", tells the loading thread where
// it cuts, reads it, and copies it into the snapshot's shared columns once the loading thread
// has confirmed, from its own count, where the part begins (telling the count before copying).

import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { AdoptRequest, EdgeThreadData, EdgeThreadMessage, planEdgeSplit, readEdgePart } from './edgeSplit';

const port = parentPort!;
const data = workerData as EdgeThreadData;
const say = (m: EdgeThreadMessage): void => port.postMessage(m);

function run(): void {
  const fd = fs.openSync(data.file, 'r');
  let part: ReturnType<typeof readEdgePart>;
  try {
    const plan = planEdgeSplit(fd, data);
    say({ type: 'plan', plan });
    if (!plan) return;
    part = readEdgePart(fd, data.header, plan);
  } finally {
    fs.closeSync(fd);
  }
  port.once('message', (r: AdoptRequest) => {
    const { columns, count, maxName } = part;
    if (r.base + count > r.edgeType.length || r.base + count > data.header.edgeCount) {
      say({ type: 'failed', message: 'the part does not fit after the edges read before it' });
      return;
    }
    // The count first: the loading thread goes on with the rest of the file while this copies.
    say({ type: 'counted', count, maxName });
    r.edgeType.set(columns.edgeType.subarray(0, count), r.base);
    r.edgeName.set(columns.edgeName.subarray(0, count), r.base);
    r.edgeTarget.set(columns.edgeTarget.subarray(0, count), r.base);
    say({ type: 'adopted', count });
    port.close();
  });
}

try {
  run();
} catch (e) {
  say({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}
