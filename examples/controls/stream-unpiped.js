// Control: the stream-pipe leak's fixed twin (must NOT be reported): the capture is unpiped
// from the long-lived audit stream when its request ends.
'use strict';

const { PassThrough, Writable } = require('node:stream');

const auditFeed = new PassThrough();
auditFeed.setMaxListeners(0);

class AuditCapture extends Writable {
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
  const sink = new AuditCapture(id);
  auditFeed.pipe(sink, { end: false });
  return sink;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 20; i++) auditFeed.unpipe(capture(n++));
  },
};
