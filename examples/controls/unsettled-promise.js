// Control: promises that never settle, held by nothing (must NOT be reported). Each request
// waits on a confirmation that never comes; but no listener, timer or variable keeps the
// promise or its resolver, so the suspended call and its locals are collected.
'use strict';

class PendingConfirmation {
  constructor(id) {
    this.id = id;
    this.details = Array.from({ length: 32 }, (_, k) => `detail ${id}.${k}`);
  }
}

async function confirm(id) {
  const pending = new PendingConfirmation(id);
  await new Promise(() => {});
  return pending.details.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) confirm(n++);
  },
};
