// The caller's side of the hunt worker: a typed client of HuntApi (src/contracts/hunt.ts).

import type { HuntApi, HuntSignals } from '../contracts/hunt';
import type { Progress } from '../contracts/rpc';
import { WorkerClient, workerThread } from '../core/worker/client';

export type HuntWorker = WorkerClient<HuntApi, HuntSignals>;

/** Bound on the worker handing a live hunt's program back before its thread is ended. */
const STOP_MS = 10_000;

class HuntWorkerClient extends WorkerClient<HuntApi, HuntSignals> {
  /**
   * Ending the thread would cut a live hunt off in the middle: the program would keep V8's
   * compaction off (a process-wide flag) and, until V8 notices, its tracking. So the worker
   * ends the hunt itself first (bounded), then the thread goes. cancel() still ends it at once.
   */
  override async dispose(): Promise<void> {
    if (!this.closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.api.stop().catch(() => undefined),
        new Promise<void>((r) => (timer = setTimeout(r, STOP_MS))),
      ]);
      clearTimeout(timer);
    }
    await super.dispose();
  }
}

/** `file`: dist/huntWorker.js (the extension passes its own path; tests the compiled one). */
export function startHuntWorker(file: string, onProgress?: (p: Progress) => void): HuntWorker {
  const client = new HuntWorkerClient(workerThread(file));
  client.onProgress = onProgress;
  return client;
}
