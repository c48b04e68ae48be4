// Every default a person can meet, in one place: the CLI, the extension's settings, the
// debug adapter, the hunt and the inspector import these (package.json repeats the
// settings' defaults because JSON cannot import; test/unit/defaults.test.ts keeps them equal).

export const DEFAULTS = {
  /** Iterations of a hunt's unit of work after the warm-up. */
  iterations: 8,
  minIterations: 2,
  maxIterations: 100,
  /** Units of work before the hunt's start mark, so lazy caches and JIT state settle. */
  warmup: 2,
  trackAllocations: true,
  /** Distinct retainer paths drawn per object. */
  retainerPaths: 3,
  /** Largest retainer graph drawn at once. */
  graphSizeLimit: 400,
  /** Leaks in one report. */
  maxLeaks: 20,
  /** Live hunt: marks (the start and at least two more) before the analysis. */
  minLiveSnapshots: 3,
  /** Spawn, scenario load and inspector connect (ms). */
  startTimeoutMs: 20_000,
  /** Setup, each warm-up batch, each iteration (ms). */
  iterationTimeoutMs: 60_000,
  /** A heap snapshot that sends nothing for this long has stalled (ms); a whole one may take minutes. */
  snapshotIdleTimeoutMs: 120_000,
} as const;
