// Pattern: a stream piped and never ended. Every request's capture stream is piped from
// one long-lived audit stream (to copy the request's audit lines); the request ends but
// nobody unpipes, so the audit stream keeps every capture in its pipes and listeners.
'use strict';

const { PassThrough, Writable } = require('node:stream');

const auditFeed = new PassThrough();
auditFeed.setMaxListeners(0);

class ResponseCapture extends Writable {
  constructor(id) {
    super();
    this.id = id;
    this.lines = Array.from({ length: 48 }, (_, k) => `audit ${id}.${k}`);
  }
  _write(chunk, encoding, done) {
    this.lines.push(String(chunk));
    done();
  }
}

function capture(id) {
  const sink = new ResponseCapture(id);
  auditFeed.pipe(sink, { end: false });
  return sink;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 20; i++) capture(n++);
  },
};
