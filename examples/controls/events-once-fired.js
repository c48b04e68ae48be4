// Control: the events-once leak's twin (must NOT be reported): the queue drains at the end of
// every action, so each `await once(queue, 'drain')` returns and its listener is gone.
'use strict';

const { EventEmitter, once } = require('node:events');

const queue = new EventEmitter();
queue.setMaxListeners(0);

class DrainReport {
  constructor(id) {
    this.id = id;
    this.lines = Array.from({ length: 24 }, (_, k) => `job ${id} line ${k}`);
  }
}

async function runJob(id) {
  const report = new DrainReport(id);
  await once(queue, 'drain');
  return report.lines.length;
}

let n = 0;

module.exports = {
  async action() {
    const jobs = [];
    for (let i = 0; i < 40; i++) jobs.push(runJob(n++));
    queue.emit('drain');
    await Promise.all(jobs);
  },
};
