// Pattern: Error fields (`cause`). While the circuit is open every call is refused with
// one shared AggregateError (callers test `err === CircuitOpenError`). To make the log
// say what was refused, each refusal is appended to its `errors` with the call as the
// `cause`, and the shared error lives as long as the module.
'use strict';

const CircuitOpenError = new AggregateError([], 'circuit open: upstream unavailable');

class PendingCall {
  constructor(method, payload) {
    this.method = method;
    this.payload = payload;
  }
}

function refuse(call) {
  CircuitOpenError.errors.push(new Error(`refused ${call.method}`, { cause: call }));
  throw CircuitOpenError;
}

function callUpstream(method, payload) {
  const call = new PendingCall(method, payload);
  return refuse(call);
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) {
      try {
        callUpstream('inventory.reserve', new Array(128).fill(n++));
      } catch (err) {
        if (err !== CircuitOpenError) throw err;
      }
    }
  },
};
