// Control: AsyncLocalStorage used properly (must NOT be reported). Each job runs inside
// its own store and every async resource created inside it (promises, the immediate)
// completes within the action, so nothing outlives the job to keep its store.
'use strict';

const { AsyncLocalStorage } = require('node:async_hooks');
const { setImmediate: nextTurn } = require('node:timers/promises');

const jobContext = new AsyncLocalStorage();

class JobScope {
  constructor(jobId) {
    this.jobId = jobId;
    this.scratch = new Array(512).fill(jobId);
  }
}

function runJob(jobId) {
  const scope = new JobScope(jobId);
  return jobContext.run(scope, async () => {
    await nextTurn();
    return jobContext.getStore().scratch.length;
  });
}

module.exports = {
  async action() {
    const jobs = [];
    for (let i = 0; i < 50; i++) jobs.push(runJob(i));
    await Promise.all(jobs);
  },
};
