// Control: bounded LRU cache (must NOT be reported). The cache holds at most 500
// entries and setup() fills it to capacity, so from then on every insert evicts exactly
// one entry: entries are replaced, never accumulated, and the count stays at 500.
// Warm-up assumed: none (setup does the filling), so it is flat with the runner's
// default of 2 warm-up and 8 measured iterations, and with any other count.
'use strict';

const CAPACITY = 500;

class CacheEntry {
  constructor(key, value) {
    this.key = key;
    this.value = value;
  }
}

class LruCache {
  constructor(capacity) {
    this.capacity = capacity;
    this.entries = new Map();
  }

  get(key) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Map iterates in insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key, value) {
    this.entries.delete(key);
    const entry = new CacheEntry(key, value);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value);
  }
}

const cache = new LruCache(CAPACITY);
let next = 0;

function lookupPrice(sku) {
  let price = cache.get(sku);
  if (price === undefined) {
    price = new Array(128).fill(sku.length); // stands in for a slow lookup
    cache.set(sku, price);
  }
  return price;
}

module.exports = {
  setup() {
    for (let i = 0; i < CAPACITY; i++) lookupPrice(`sku-${next++}`);
  },
  action() {
    // 200 new SKUs (each evicts the least recently used) and a few repeat hits.
    for (let i = 0; i < 200; i++) lookupPrice(`sku-${next++}`);
    for (let i = 1; i <= 20; i++) lookupPrice(`sku-${next - i}`);
  },
};
