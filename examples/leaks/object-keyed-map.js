// Pattern: a Map keyed by objects, never deleted. Per-request statistics are kept in a Map
// keyed by the request object (a WeakMap was meant); the Map keeps every request, and each
// request keeps its body.
'use strict';

class IncomingRequest {
  constructor(id) {
    this.id = id;
    this.body = Array.from({ length: 48 }, (_, k) => `field${k}=${id}`);
  }
}

const statsByRequest = new Map();

function handle(id) {
  const request = new IncomingRequest(id);
  statsByRequest.set(request, { startedAt: Date.now(), bytes: request.body.length });
  return statsByRequest.get(request).bytes;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) handle(n++);
  },
};
