// Pattern: AsyncLocalStorage store. Every async resource created inside `run()` copies
// the current store. The retry timer below never mentions the request scope, but the
// Timeout it creates carries the scope as its AsyncLocalStorage store for as long as the
// timer lives (five minutes), so a burst of failing requests pins every request body.
'use strict';

const { AsyncLocalStorage } = require('node:async_hooks');

const requestContext = new AsyncLocalStorage();

class RequestScope {
  constructor(requestId, body) {
    this.requestId = requestId;
    this.body = body;
  }
}

const retryQueue = new Set();

function scheduleRetry(requestId) {
  setTimeout(() => retryQueue.add(requestId), 5 * 60_000).unref();
}

function handleRequest(requestId, body) {
  const scope = new RequestScope(requestId, body);
  requestContext.run(scope, () => {
    const current = requestContext.getStore();
    // The upstream is down: every request fails and asks to be retried later.
    if (current.body.length > 0) scheduleRetry(current.requestId);
  });
}

let requestId = 0;

module.exports = {
  action() {
    for (let i = 0; i < 50; i++) {
      const body = new Array(512).fill(requestId);
      handleRequest(requestId++, body);
    }
  },
};
