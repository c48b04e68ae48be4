'use strict';
// tiny-lru@11.2.0 (leaky) / tiny-lru@11.2.2 (control: tiny-lru-fixed.js). A hit on an entry in
// the middle of the list moves it to the end without pointing its predecessor past it, so the
// entries after it drop out of the list while staying in the cache; each such orphan still
// points at the next entry, and every entry evicted after it keeps the next one through its
// own `next`: the whole history of evicted entries stays alive (avoidwork/tiny-lru#134, seen
// in maxmind; fixed in 11.2.1, published as 11.2.2).
const { load } = require('./lib/packages');
const { lru } = load('tiny-lru-leaky');

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
