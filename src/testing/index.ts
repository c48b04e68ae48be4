// The package's `heaplens/test` entry point (dist/test.js).
export { assertNoLeak } from './assertNoLeak';
export type { AssertNoLeakOptions } from './assertNoLeak';
