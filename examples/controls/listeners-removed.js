// Control: listeners added in action() and removed in back() (must NOT be reported).
// The emitter is long-lived, like the leaking one in leaks/event-emitter-listener.js,
// but every listener is taken off again, so nothing accumulates across iterations.
'use strict';

const { EventEmitter } = require('node:events');

const progress = new EventEmitter();
progress.setMaxListeners(0);
const attached = [];

class ProgressListener {
  constructor(jobId) {
    this.jobId = jobId;
    this.ticks = new Array(128).fill(0);
  }
}

function follow(jobId) {
  const listener = new ProgressListener(jobId);
  const onProgress = (pct) => listener.ticks.push(pct);
  progress.on('progress', onProgress);
  attached.push(onProgress);
}

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) follow(i);
    progress.emit('progress', 50);
  },
  back() {
    for (const onProgress of attached.splice(0)) progress.off('progress', onProgress);
  },
};
