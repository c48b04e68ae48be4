// Pattern: a listener on a long-lived AbortSignal. Each request gets a 10-minute timeout
// signal (AbortSignal.timeout) and an 'abort' listener that cancels its job; requests finish
// in milliseconds but the listener is never removed. Node keeps a timeout signal that has
// abort listeners alive until it fires, so every finished job stays for ten minutes.
'use strict';

class RequestJob {
  constructor(id) {
    this.id = id;
    this.buffer = Array.from({ length: 48 }, (_, k) => `chunk ${id}.${k}`);
  }
  cancel() {
    this.buffer = [];
  }
}

function handle(id) {
  const job = new RequestJob(id);
  const signal = AbortSignal.timeout(10 * 60 * 1000);
  signal.addEventListener('abort', () => job.cancel());
  return job.buffer.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) handle(n++);
  },
};
