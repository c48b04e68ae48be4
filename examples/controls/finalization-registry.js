// Control: FinalizationRegistry and WeakRef (must NOT be reported). Every decoded image is
// registered for a cleanup log entry and remembered through a WeakRef; the registry holds
// only the small held value until the image is collected, and the WeakRef holds nothing.
'use strict';

class DecodedImage {
  constructor(name) {
    this.name = name;
    this.pixels = new Array(256).fill(0);
  }
}

let collected = 0;
const cleanup = new FinalizationRegistry(() => collected++);
let lastSeen = null;

function decode(name) {
  const image = new DecodedImage(name);
  cleanup.register(image, name.length);
  lastSeen = new WeakRef(image);
  return image.pixels.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) decode(`img-${n++}`);
    return lastSeen && collected;
  },
};
