// Pattern: Symbol.for registry. Each cache entry's private key is made with
// Symbol.for(`cache:${url}`); symbols in the global symbol registry live forever, and so
// does each one's description string, one per distinct URL.
'use strict';

const entries = [];

function keyFor(url) {
  return Symbol.for(`cache:${url}:${'v'.repeat(64)}`);
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 800; i++) entries[0] = keyFor(`/items/${n++}`);
  },
};
