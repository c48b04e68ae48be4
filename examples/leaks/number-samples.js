// Pattern: containers of numbers that grow forever. Every request's latency is pushed onto
// `latencies` for a percentile report nobody reads, and its id is added to `seenIds` to drop
// duplicates. Numbers are not objects: no object is made per request, only the containers'
// backing stores grow (V8 reallocates them larger now and then).
'use strict';

const latencies = [];
const seenIds = new Set();

function record(id, ms) {
  latencies.push(ms);
  seenIds.add(id);
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 4000; i++) record(n++, Math.random() * 100);
  },
  /** For verify.js: how many numbers the containers hold (no Heap Lens involved). */
  entries() {
    return latencies.length + seenIds.size;
  },
};
