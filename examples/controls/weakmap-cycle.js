// Control: a WeakMap whose value references its key (must NOT be reported). Each request's
// span points back at its request; the WeakMap holds the span only while something else
// holds the request (an ephemeron), so the cycle through the value does not keep either.
'use strict';

const spans = new WeakMap();

class TraceSpan {
  constructor(request) {
    this.request = request;
    this.events = Array.from({ length: 32 }, (_, k) => `event ${k}`);
  }
}

function handle(request) {
  spans.set(request, new TraceSpan(request));
  return spans.get(request).events.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) handle({ path: `/orders/${n++}` });
  },
};
