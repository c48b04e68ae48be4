'use strict';
// CONTROL: the fixed twin of node-cron-leaky.js (the version with the fix, whose destroy() takes the task out of the registry): must report nothing.
// node-cron@3.0.3 (leaky) / node-cron@4.0.7 (control: node-cron-fixed.js). Version 3 keeps
// every task it ever scheduled in the global `scheduledTasks` Map and has no way to take one
// out: stop() only stops it, and destroy() was gone (node-cron/node-cron#348). Version 4's
// destroy() removes the task from the registry.
const { load } = require('./lib/packages');
const cron = load('node-cron-fixed');

function remindOnce(userId) {
  const task = cron.schedule('0 9 * * 1', () => console.log(`remind ${userId}`));
  return () => task.destroy();
}

let nextUser = 0;

module.exports = {
  action() {
    for (let i = 0; i < 50; i++) {
      const cancel = remindOnce(nextUser++);
      cancel();
    }
  },
};
