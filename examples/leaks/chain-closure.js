'use strict';
// Chain through a closure context (the classic "Meteor" leak): each replacement of `current`
// creates a closure `unused` that mentions `original`, so V8 puts `original` in the context
// that every closure of that call shares, including `current.describe`. Each Snapshot keeps
// the previous one through `describe`'s context → `original`: one chain, one root.

class Snapshot {
  constructor(version) {
    this.version = version;
    this.payload = new Array(60).fill(`state ${version}`).join(' ');
  }
}

let current = null;

function replaceState(version) {
  const original = current;
  const unused = () => {
    if (original) return original.version;
  };
  current = new Snapshot(version);
  current.describe = () => `snapshot ${version}`;
}

let nextVersion = 0;

module.exports = {
  action() {
    for (let i = 0; i < 100; i++) replaceState(nextVersion++);
  },
};
