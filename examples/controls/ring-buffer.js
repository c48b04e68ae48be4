// Control: bounded ring buffers (must NOT be reported). The last 5,000 latencies are kept with
// push and shift, so V8 keeps reallocating the array's backing store, and the last 200 request
// logs in a fixed array indexed modulo its length: both are full after the warm-up and replace
// their oldest entry with every new one.
'use strict';

const LATENCIES = 5000;
const LOGS = 200;

class RequestLog {
  constructor(id) {
    this.id = id;
    this.path = `/items/${id}`;
    this.headers = { accept: 'application/json', 'x-request-id': String(id) };
  }
}

const latencies = [];
const logs = new Array(LOGS).fill(null);
let n = 0;

function record(ms) {
  latencies.push(ms);
  if (latencies.length > LATENCIES) latencies.shift();
  const id = n++;
  logs[id % LOGS] = new RequestLog(id);
}

module.exports = {
  action() {
    for (let i = 0; i < 4000; i++) record(Math.random() * 100);
  },
};
