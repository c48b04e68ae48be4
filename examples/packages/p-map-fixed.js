'use strict';
// CONTROL: the fixed twin of p-map-leaky.js (same code, the version with the fix): must report nothing.
// p-map@7.0.2 (leaky) / p-map@7.0.3 (control: p-map-fixed.js). pMap(input, mapper, { signal })
// added an 'abort' listener to the caller's signal and never removed it when the mapping
// finished; the listener's scope holds the call's results, so a long-lived signal (a server's
// shutdown signal) keeps every call's output (sindresorhus/p-map#75, fixed in 7.0.3).
const { load } = require('./lib/packages');
const pMap = load('p-map-fixed').default;

const shutdown = new AbortController();

class PriceQuote {
  constructor(sku) {
    this.sku = sku;
    this.tiers = Array.from({ length: 24 }, (_, k) => `${sku} tier ${k}`);
  }
}

let batch = 0;

module.exports = {
  async action() {
    for (let i = 0; i < 10; i++) {
      const skus = Array.from({ length: 4 }, (_, k) => `sku-${batch}-${k}`);
      batch++;
      const quotes = await pMap(skus, async (sku) => new PriceQuote(sku), { concurrency: 2, signal: shutdown.signal });
      if (quotes.length !== skus.length) throw new Error('lost a quote');
    }
  },
};
