'use strict';
// CONTROL: the fixed twin of got-leaky.js (same code, the version with the fix): must report nothing.
// got@8.2.0 (leaky) / got@8.3.0 (control: got-fixed.js). For upload progress got listened
// for 'connect' on the request's socket; a keep-alive socket is already connected, so the
// listener never fired and stayed, one per request (sindresorhus/got#465, released in 8.3.0).
const http = require('node:http');
const { load } = require('./lib/packages');
const { startServer } = require('./lib/server');
const got = load('got-fixed');

let base;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

module.exports = {
  async setup() {
    base = (await startServer()).url;
  },
  async action() {
    for (let i = 0; i < 10; i++) {
      const res = await got(`${base}/prices/${i}`, { agent, json: true });
      if (!res.body.items) throw new Error('bad answer');
    }
  },
};
