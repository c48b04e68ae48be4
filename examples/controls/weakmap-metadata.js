// Control: WeakMap keyed by short-lived objects (must NOT be reported). Per-request
// metadata hangs off the request object through a WeakMap; when the request is dropped
// the entry goes with it, however long the WeakMap itself lives.
'use strict';

const requestMeta = new WeakMap();

class RequestMeta {
  constructor(path) {
    this.path = path;
    this.timings = new Array(128).fill(0);
  }
}

function annotate(request) {
  const meta = new RequestMeta(request.path);
  requestMeta.set(request, meta);
  return meta;
}

function handle(request) {
  annotate(request).timings[0] = Date.now();
  return requestMeta.get(request).path.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) handle({ path: `/items/${n++}` });
  },
};
