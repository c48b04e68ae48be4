// Control: a TTL cache that does evict (must NOT be reported). Entries expire after 50 ms and
// every set() first sweeps the expired ones, so the cache holds what the last 50 ms made,
// however long it runs.
'use strict';

class CachedRate {
  constructor(pair) {
    this.pair = pair;
    this.history = Array.from({ length: 32 }, (_, k) => k * 1.5);
  }
}

const TTL = 50;
const cache = new Map();

function put(key, value) {
  const now = Date.now();
  for (const [k, e] of cache) if (e.expires <= now) cache.delete(k);
  cache.set(key, { value, expires: now + TTL });
}

let n = 0;

module.exports = {
  async action() {
    for (let i = 0; i < 100; i++) put(`EUR/X${n++}`, new CachedRate(`EUR/X${n}`));
    // Outlive the TTL, so the next iteration's first set() sweeps this one's entries.
    await new Promise((resolve) => setTimeout(resolve, TTL + 10));
  },
};
