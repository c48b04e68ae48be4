'use strict';
// CONTROL: the fixed twin of axios-leaky.js (same code, the version with the fix): must report nothing.
// axios@1.15.1 (leaky) / axios@1.15.2 (control: axios-fixed.js). 1.15.1 added an 'error'
// listener to the socket on every request and removed it on the request's 'close', which on
// a reused keep-alive socket can come after the next request took the socket; listeners
// (each closing over its request) pile up on the pooled socket (axios/axios#10780, fixed by
// #10788 in 1.15.2).
const http = require('node:http');
const { load } = require('./lib/packages');
const { startServer } = require('./lib/server');
const axios = load('axios-fixed');

let client;

module.exports = {
  async setup() {
    const { url } = await startServer();
    client = axios.create({ baseURL: url, httpAgent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
  },
  async action() {
    const pages = [];
    for (let i = 0; i < 10; i++) pages.push(client.get(`/orders/${i}`));
    for (const res of await Promise.all(pages)) if (!res.data.items) throw new Error('bad answer');
  },
};
