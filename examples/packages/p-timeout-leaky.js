'use strict';
// p-timeout@6.1.2 (leaky) / p-timeout@6.1.3 (control: p-timeout-fixed.js). pTimeout(promise,
// { milliseconds, signal }) added an 'abort' listener to the caller's signal and never removed
// it once the promise settled; the listener's scope holds the wrapping promise and so its
// result, so a long-lived signal (a server's shutdown signal) keeps every call's result
// (sindresorhus/p-timeout#42, fixed in 6.1.3).
const { load } = require('./lib/packages');
const pTimeout = load('p-timeout-leaky').default;

const shutdown = new AbortController();

class InventoryReport {
  constructor(store) {
    this.store = store;
    this.lines = Array.from({ length: 24 }, (_, k) => `${store} line ${k}`);
  }
}

let n = 0;

async function loadReport() {
  return new InventoryReport(`store-${n++}`);
}

module.exports = {
  async action() {
    for (let i = 0; i < 40; i++) {
      const report = await pTimeout(loadReport(), { milliseconds: 60_000, signal: shutdown.signal });
      if (!report.lines.length) throw new Error('empty report');
    }
  },
};
