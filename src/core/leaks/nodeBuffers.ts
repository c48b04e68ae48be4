// Buffers inside Node's own code that grow with the program's work but that Node itself caps,
// so a hunt shorter than the cap sees them grow like a leak. They are a fact of Node, not a
// pattern: each entry names the context variable Node keeps the buffer in, and the cap that
// bounds it. Objects held only by such a buffer are not the program's leak; held also from
// elsewhere, they are still found through that other holder.

export interface NodeBoundedBuffer {
  /** The closure-context variable of Node's module that holds the buffer. */
  variable: string;
  /** What bounds it, for the docs and for a person reading why it is not reported. */
  bound: string;
}

export const NODE_BOUNDED_BUFFERS: readonly NodeBoundedBuffer[] = [
  {
    // lib/internal/perf/observe.js: every fetch() (undici) and every HTTP request with
    // resource timing adds a PerformanceResourceTiming here until the buffer is full.
    variable: 'resourceTimingBuffer',
    bound: 'performance.setResourceTimingBufferSize(), 250 entries by default; Node drops entries past it',
  },
];

const NAMES = new Set(NODE_BOUNDED_BUFFERS.map((b) => b.variable));

/** Is this context variable one of Node's self-capped buffers? */
export function isNodeBoundedBuffer(variable: string): boolean {
  return NAMES.has(variable);
}
