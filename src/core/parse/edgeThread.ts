// The edge thread of a load that only parses (see edgeRun.ts).

import { parentPort, workerData } from 'node:worker_threads';
import { EdgeThreadData } from './edgeSplit';
import { readEdgesBackward } from './edgeRun';

readEdgesBackward(workerData as EdgeThreadData, (m) => parentPort!.postMessage(m));
