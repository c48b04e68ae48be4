// Pattern: awaiting an event that never comes. Each job waits for the queue's 'drain' event with
// `await once(queue, 'drain')` before it reports; the queue never drains, so every waiting job's
// listener (and its suspended call, with its locals) stays on the emitter.
'use strict';

const { EventEmitter, once } = require('node:events');

const queue = new EventEmitter();
// Node warns past 10 listeners; the warning was muted, not heeded.
queue.setMaxListeners(0);

class JobReport {
  constructor(id) {
    this.id = id;
    this.lines = Array.from({ length: 24 }, (_, k) => `job ${id} line ${k}`);
  }
}

async function runJob(id) {
  const report = new JobReport(id);
  await once(queue, 'drain');
  return report.lines.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) runJob(n++);
  },
};
