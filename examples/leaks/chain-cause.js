'use strict';
// Chain through Error.cause: a retry wrapper wraps each failure in a new RetryError whose
// `cause` is the previous one, and keeps only the newest in a module variable. Every
// RetryError keeps the one before it through `cause`, so the whole history stays.

class RetryError extends Error {
  constructor(attempt, cause) {
    super(`attempt ${attempt} failed`, { cause });
    this.attempt = attempt;
    this.request = { attempt, body: `payload for attempt ${attempt} `.repeat(20) };
  }
}

let lastFailure = null;

function recordFailure(attempt) {
  lastFailure = new RetryError(attempt, lastFailure);
}

let nextAttempt = 0;

module.exports = {
  action() {
    for (let i = 0; i < 100; i++) recordFailure(nextAttempt++);
  },
};
