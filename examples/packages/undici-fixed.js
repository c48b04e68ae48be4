'use strict';
// CONTROL: the fixed twin of undici-leaky.js (same code, the version with the fix): must report nothing.
// undici@5.14.0 (leaky) / undici@5.15.0 (control: undici-fixed.js). fetch() added an 'abort'
// listener to the caller's AbortSignal and never removed it when the request finished
// (nodejs/node#46435, the same undici in Node 18.13): one long-lived "shutdown" signal
// passed to every fetch keeps every request.
const { load } = require('./lib/packages');
const { startServer } = require('./lib/server');
const { fetch } = load('undici-fixed');

let base;
const shutdown = new AbortController();

module.exports = {
  async setup() {
    base = (await startServer()).url;
  },
  async action() {
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${base}/stock/${i}`, { signal: shutdown.signal });
      await res.json();
    }
  },
};
