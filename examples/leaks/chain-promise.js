'use strict';
// Chain through promises: each save is queued with `queue = queue.then(...)` on a queue whose
// first link never settles (the connection it waits for never opens, and `connected` is never
// called), so every link waits on the one before: the never-called resolver `connected` keeps
// the first promise, which keeps the whole chain of pending reactions, each holding its SaveJob.

class SaveJob {
  constructor(id) {
    this.id = id;
    this.document = new Array(60).fill(`document ${id}`).join(' ');
  }
}

let connected;
let queue = new Promise((resolve) => {
  connected = resolve;
});

function enqueueSave(id) {
  const job = new SaveJob(id);
  queue = queue.then(() => job.id);
}

let nextId = 0;

module.exports = {
  action() {
    for (let i = 0; i < 100; i++) enqueueSave(nextId++);
  },
};
