// Pattern: a listener on `process` per request. Each import job promises to flush its
// buffered rows if the process exits early, with process.once('beforeExit', ...); the job
// finishes normally but never removes the listener, so `process` (a root) keeps every job.
'use strict';

class ImportJob {
  constructor(id) {
    this.id = id;
    this.rows = Array.from({ length: 64 }, (_, k) => `row ${id}.${k}`);
  }
  flush() {
    this.rows = [];
  }
}

// Node warns past 10 listeners on an emitter; the warning was muted, not heeded.
process.setMaxListeners(0);

function startImport(id) {
  const job = new ImportJob(id);
  process.once('beforeExit', () => job.flush());
  return job;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) startImport(n++);
  },
};
