// A program of the person's own (not a scenario) started under the inspector by the one
// launcher (runner.ts), hunted through attach mode with a unit of work repeated in it once it
// has started (programStart.ts), and killed with its process group when the hunt ends.

import path from 'node:path';
import { attach, UnitOfWork } from './attach';
import { DEFAULT_START_TIMEOUT_MS, spawnInspected, StartDebuggeeOptions } from './runner';
import { waitUntilStarted } from './programStart';
import type { HuntTarget } from './target';

export async function startProgram(
  program: string,
  args: string[],
  work: UnitOfWork,
  opts: StartDebuggeeOptions = {},
): Promise<HuntTarget> {
  const file = path.resolve(opts.cwd ?? '', program);
  // One bound for the whole start: spawn, connect, and the program's own start.
  const deadline = Date.now() + (opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  const { proc, url } = await spawnInspected(file, [file, ...args], opts, false);
  let target: HuntTarget;
  try {
    target = await attach(url, work, {
      signal: opts.signal,
      iterationTimeoutMs: opts.iterationTimeoutMs,
      local: true,
    });
  } catch (e) {
    await proc.kill();
    throw e;
  }
  // The program dying fails every pending request with the real reason at once.
  void proc.exited.then(() => target.client.close(proc.exitError('while the hunt was running')));
  try {
    await waitUntilStarted(target.client, work, deadline, opts.signal);
  } catch (e) {
    const err = await proc.explain(e); // before kill(), or a death would read "killed by SIGKILL"
    await target.dispose();
    await proc.kill();
    throw err;
  }
  let disposing: Promise<void> | undefined;
  const t = target;
  return {
    client: t.client,
    scripts: t.scripts,
    runSetup: () => t.runSetup(),
    runWarmup: (k) => t.runWarmup(k),
    runIteration: () => t.runIteration(),
    takeSnapshot: (sink, options) => t.takeSnapshot(sink, options),
    startTracking: (allocations, onSent) => t.startTracking(allocations, onSent),
    markObjectIds: (signal) => t.markObjectIds(signal),
    noteContainers: () => t.noteContainers(),
    countNotedContainers: () => t.countNotedContainers(),
    readContainerNote: () => t.readContainerNote(),
    takeFinalSnapshot: (sink, options) => t.takeFinalSnapshot(sink, options),
    stopTracking: (options) => t.stopTracking(options),
    endTracking: () => t.endTracking(),
    announceScripts: () => t.announceScripts(),
    dispose: () => (disposing ??= t.dispose().then(() => proc.kill())),
  };
}
