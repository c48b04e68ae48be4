'use strict';
// p-timeout@6.1.3: the same code as p-timeout-leaky.js on the version that fixed it (control):
// the 'abort' listener is added with { once: true } and removed when the promise settles
// (sindresorhus/p-timeout#42). Must report nothing.
const { load } = require('./lib/packages');
const pTimeout = load('p-timeout-fixed').default;

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
