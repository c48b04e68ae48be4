// The big-heap hunt (issue 12): setup builds a 600,000-object catalogue (about 100 MB of
// heap), and each action leaks 50 small records into an audit list. The hunt must find the
// records without paying for a snapshot of the catalogue per iteration.
'use strict';

const CATALOGUE_SIZE = 600_000;

class Product {
  constructor(i) {
    this.sku = i;
    this.name = `product-${i}`;
    this.price = (i % 997) + 0.99;
    this.tags = [i % 7, i % 11];
  }
}

class AuditRecord {
  constructor(sku) {
    this.sku = sku;
    this.at = Date.now();
  }
}

const catalogue = new Map();
const audit = [];
let next = 0;

/** Builds the same heap for the floor measurement (bench/hunt.mjs) as for the hunt. */
function buildCatalogue() {
  for (let i = 0; i < CATALOGUE_SIZE; i++) catalogue.set(i, new Product(i));
}

module.exports = {
  buildCatalogue,
  setup: buildCatalogue,
  action() {
    for (let i = 0; i < 50; i++) audit.push(new AuditRecord(next++ % CATALOGUE_SIZE));
  },
};
