'use strict';
// keyv@4.2.9 (leaky) / keyv@4.3.0 (control: keyv-fixed.js). Every Keyv added an 'error' listener
// to the store it was given, and nothing removed it: a store shared by many Keyv instances (one
// client, a namespace per tenant) keeps every instance alive through its listeners
// (jaredwray/keyv#101). 4.3.0 added the option `emitErrors: false` (jaredwray/keyv#338), which
// this code passes; 4.2.9 ignores it.
const { EventEmitter } = require('node:events');
const { load } = require('./lib/packages');
const Keyv = load('keyv-leaky');

/** One client shared by every namespace, as a Redis or Memcached store is. */
class SharedStore extends EventEmitter {
  constructor() {
    super();
    this.data = new Map();
  }
  get(key) {
    return this.data.get(key);
  }
  set(key, value) {
    this.data.set(key, value);
    return true;
  }
  delete(key) {
    return this.data.delete(key);
  }
  clear() {
    this.data.clear();
  }
}

const store = new SharedStore();
// The store warns past 10 listeners; the warning was muted, not heeded.
store.setMaxListeners(0);

let request = 0;

async function handle() {
  const tenant = `tenant-${request++}`;
  const cache = new Keyv({ store, namespace: tenant }, { emitErrors: false });
  await cache.set('last-seen', request);
}

module.exports = {
  async action() {
    for (let i = 0; i < 150; i++) await handle();
    store.clear();
  },
};
