'use strict';
// tiny-lru@11.2.2: the same code as tiny-lru-leaky.js on the version that fixed it (control):
// a hit in the middle of the list points the entry's predecessor past it, so every entry stays
// in the list and eviction frees it (avoidwork/tiny-lru#134). Must report nothing.
const { load } = require('./lib/packages');
const { lru } = load('tiny-lru-fixed');

const locations = lru(200);

class GeoRecord {
  constructor(ip) {
    this.ip = ip;
    this.city = `city of ${ip}`;
    this.ranges = Array.from({ length: 8 }, (_, k) => `${ip}/${24 + (k % 8)}`);
  }
}

let n = 0;

function lookup(ip) {
  let record = locations.get(ip);
  if (!record) {
    record = new GeoRecord(ip);
    locations.set(ip, record);
  }
  return record;
}

module.exports = {
  action() {
    for (let i = 0; i < 100; i++) {
      const ip = `10.0.${n >> 8}.${n & 255}`;
      n++;
      lookup(ip);
      // A returning client: a hit on an entry in the middle of the list.
      lookup(`10.0.${(n - 50) >> 8}.${(n - 50) & 255}`);
    }
  },
};
