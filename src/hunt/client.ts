// The caller's side of the hunt worker: a typed client of HuntApi (src/contracts/hunt.ts).

import type { HuntApi, HuntSignals } from '../contracts/hunt';
import type { Progress } from '../contracts/rpc';
import { startWorker, WorkerClient } from '../core/worker/client';

export type HuntWorker = WorkerClient<HuntApi, HuntSignals>;

/** `file`: dist/huntWorker.js (the extension passes its own path; tests the compiled one). */
export function startHuntWorker(file: string, onProgress?: (p: Progress) => void): HuntWorker {
  return startWorker<HuntApi, HuntSignals>(file, onProgress);
}
