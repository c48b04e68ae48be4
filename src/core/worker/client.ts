// The caller's side of a worker thread: the typed RPC client (src/contracts/rpc.ts) over a
// Worker, plus cancel (the thread is terminated: the work stops at once). One function per
// worker, so a client can only call the methods its own worker has.

import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalysisApi, AnalysisSignals } from '../../contracts/analysis';
import { RemoteError } from '../../contracts/errors';
import { Progress, RpcClient } from '../../contracts/rpc';

export class WorkerClient<A extends object, S extends object> extends RpcClient<A, S> {
  constructor(private readonly worker: Worker) {
    super(worker);
    worker.on('error', (e) => this.close(e));
    worker.on('exit', (code) =>
      this.close(new RemoteError('internal', `the worker stopped (exit code ${code})`)),
    );
  }

  /** Stops the work wherever it is; pending calls fail with 'cancelled'. */
  async cancel(): Promise<void> {
    this.close(new RemoteError('cancelled', 'the analysis was cancelled'));
    await this.worker.terminate();
  }

  dispose(): Promise<void> {
    return this.cancel();
  }
}

/** The thread of a worker at `file`: the analysis of a large snapshot needs far more than the default old-space limit. */
export function workerThread(file: string): Worker {
  return new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: 16000 } });
}

/** Starts the worker at `file` (a bundle next to this one, or a compiled file under out/). */
export function startWorker<A extends object, S extends object>(
  file: string,
  onProgress?: (p: Progress) => void,
): WorkerClient<A, S> {
  const client = new WorkerClient<A, S>(workerThread(file));
  client.onProgress = onProgress;
  return client;
}

export type AnalysisWorker = WorkerClient<AnalysisApi, AnalysisSignals>;

export function startAnalysisWorker(
  onProgress?: (p: Progress) => void,
  file = path.join(__dirname, 'analysisWorker.js'),
): AnalysisWorker {
  return startWorker<AnalysisApi, AnalysisSignals>(file, onProgress);
}
