// Pattern: a cache in a private class field. The resolver memoises lookups in `#cache`, keyed by
// the full query string including a request id, so no key repeats.
'use strict';

class ResolvedAddress {
  constructor(host) {
    this.host = host;
    this.records = Array.from({ length: 24 }, (_, k) => `10.0.${k}.${host.length}`);
  }
}

class Resolver {
  #cache = new Map();
  resolve(query) {
    let hit = this.#cache.get(query);
    if (!hit) this.#cache.set(query, (hit = new ResolvedAddress(query)));
    return hit;
  }
}

const resolver = new Resolver();

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 60; i++) resolver.resolve(`api.internal?rid=${n++}`);
  },
};
