'use strict';
// Chain through `.next`: a hand-written event log appends each LogRecord to the tail of a
// singly linked list whose head lives in a module variable; the "rotate" that should drop
// old records moves only the tail. Every record keeps the next through `next`, so the path
// to a record in the middle is head → next → next → …

class LogRecord {
  constructor(seq, message) {
    this.seq = seq;
    this.message = message;
    this.next = null;
  }
}

let head = null;
let tail = null;

function append(seq) {
  const record = new LogRecord(seq, new Array(40).fill(`request ${seq} handled`).join(' '));
  if (tail) tail.next = record;
  else head = record;
  tail = record;
}

let nextSeq = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) append(nextSeq++);
  },
};
