'use strict';
// mem@3.0.1 (leaky) / mem@4.0.0 (control: mem-fixed.js). With `maxAge`, mem 3 only dropped
// an expired result when the same key was asked for again; results under keys never asked
// for again stayed in its Map for good (sindresorhus/mem: the fix in 4.0.0, map-age-cleaner,
// deletes them when they expire; advisory for mem < 4.0.0).
const { load } = require('./lib/packages');
const mem = load('mem-leaky');

class Profile {
  constructor(url) {
    this.url = url;
    this.bio = `profile of ${url} `.repeat(20);
  }
}

const fetchProfile = mem((url) => new Profile(url), { maxAge: 1 });

let nextUser = 0;

module.exports = {
  async action() {
    for (let i = 0; i < 200; i++) fetchProfile(`/users/${nextUser++}`);
  },
  async back() {
    // Longer than maxAge: every result of this iteration has expired.
    await new Promise((resolve) => setTimeout(resolve, 10));
  },
};
