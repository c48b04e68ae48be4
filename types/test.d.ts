// Types of `heaplens/test` (dist/test.js, built from src/testing/).

export interface AssertNoLeakOptions {
  /** The module that exports the function: a path, or a file: URL (import.meta.url). */
  module: string | URL;
  /** The export's name, when identity cannot find it (default: found by identity). */
  exportName?: string;
  /** Calls of the function, each followed by a heap snapshot (default 8; 2 to 100). */
  iterations?: number;
  /** Growth per call, in bytes, that is still accepted (default 0: any leak fails). */
  maxGrowth?: number;
  /** Node binary for the child process (default: the one running the test). */
  nodePath?: string;
}

/**
 * Hunts `fn` in a child process under the inspector (loaded there from `options.module`):
 * repeats it with a heap snapshot after each call, and rejects with an AssertionError naming
 * what keeps growing, why it is alive and the line that allocated it.
 */
export function assertNoLeak(fn: () => unknown, options: AssertNoLeakOptions): Promise<void>;
