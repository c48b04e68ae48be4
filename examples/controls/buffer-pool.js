// Control: reused buffer pool (must NOT be reported). setup() allocates a fixed set of
// buffers; every action borrows and returns them, so no buffer outlives the pool and
// nothing new survives an iteration.
'use strict';

class PooledBuffer {
  constructor(size) {
    this.bytes = new Uint8Array(size);
    this.inUse = false;
  }
}

class BufferPool {
  constructor(count, size) {
    this.free = [];
    for (let i = 0; i < count; i++) this.free.push(createBuffer(size));
  }

  acquire() {
    const buffer = this.free.pop();
    if (!buffer) throw new Error('pool exhausted');
    buffer.inUse = true;
    return buffer;
  }

  release(buffer) {
    buffer.inUse = false;
    this.free.push(buffer);
  }
}

function createBuffer(size) {
  return new PooledBuffer(size);
}

let pool = null;

function encodeFrame(seq) {
  const buffer = pool.acquire();
  try {
    for (let i = 0; i < 256; i++) buffer.bytes[i] = (seq + i) & 0xff;
    return buffer.bytes[seq & 0xff];
  } finally {
    pool.release(buffer);
  }
}

module.exports = {
  setup() {
    pool = new BufferPool(16, 16 * 1024);
  },
  action() {
    let checksum = 0;
    for (let i = 0; i < 2000; i++) checksum ^= encodeFrame(i);
    return checksum;
  },
};
