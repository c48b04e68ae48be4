'use strict';
// Subclass of a built-in: `class Frame extends Uint8Array`. The typed array's constructor
// is native, so the allocation stack's innermost JavaScript frame is Frame's constructor;
// the statement is `new Frame(` in capture(). Frames are kept in a module-level Map keyed
// by a sequence number that only grows (a replay buffer that was meant to be trimmed).

class Frame extends Uint8Array {
  constructor(seq, size) {
    super(size);
    this.seq = seq;
    this.source = `camera ${seq % 8} frame ${seq} `.repeat(8);
  }
}

const replayBuffer = new Map();

function capture(seq) {
  const frame = new Frame(seq, 512);
  frame.fill(seq & 0xff);
  replayBuffer.set(seq, frame);
}

let nextSeq = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) capture(nextSeq++);
  },
};
