// Control: intervals started in action() and cleared in back() (must NOT be reported).
// Same shape as leaks/timer-interval.js, except that the handle is kept and cleared.
'use strict';

class PollJob {
  constructor(target) {
    this.target = target;
    this.results = new Array(512).fill(0);
  }
}

const running = [];

function startPolling(target) {
  const job = new PollJob(target);
  running.push(setInterval(() => job.results.push(Date.now()), 60_000));
}

module.exports = {
  action() {
    for (let i = 0; i < 50; i++) startPolling(`host-${i}`);
  },
  back() {
    for (const timer of running.splice(0)) clearInterval(timer);
  },
};
