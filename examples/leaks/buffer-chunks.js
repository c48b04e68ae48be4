// Pattern: Buffer accumulation. Upload chunks are kept for a retry that never comes. Each
// Buffer is a small JS object whose 64 KB backing store lives outside the JS heap
// (external memory): the heap grows by little, the process by 64 KB a chunk.
'use strict';

const retryChunks = [];

class UploadChunk {
  constructor(seq, bytes) {
    this.seq = seq;
    this.bytes = bytes;
  }
}

function receive(seq) {
  const bytes = Buffer.alloc(64 * 1024, seq & 0xff);
  retryChunks.push(new UploadChunk(seq, bytes));
}

let seq = 0;

module.exports = {
  action() {
    for (let i = 0; i < 4; i++) receive(seq++);
  },
};
