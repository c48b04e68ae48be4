// Control: lazy singleton (must NOT be reported). The country table is built on first
// use and then reused forever: a large object that is allocated once, not once per
// iteration. Warm-up assumed: at least 1 (the first action builds it; the runner's
// default 2 warm-ups do). With 0 warm-ups the first measured iteration shows a one-time
// step, which is not growth.
'use strict';

class CountryTable {
  constructor() {
    this.byCode = new Map();
    for (let i = 0; i < 250; i++) {
      const code = `C${i.toString(36).padStart(2, '0')}`;
      this.byCode.set(code, { code, name: `Country ${i}`, regions: new Array(128).fill(i) });
    }
  }

  lookup(code) {
    return this.byCode.get(code);
  }
}

let instance = null;

function countryTable() {
  if (instance === null) instance = new CountryTable();
  return instance;
}

module.exports = {
  action() {
    let regions = 0;
    for (let i = 0; i < 1000; i++) regions += countryTable().lookup(`C${(i % 250).toString(36).padStart(2, '0')}`).regions.length;
    return regions;
  },
};
