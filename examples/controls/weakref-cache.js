// Control: WeakRef cache (must NOT be reported). Thumbnails are cached through WeakRefs
// under a bounded set of 50 names: a thumbnail is reused while something else holds it
// and collected otherwise, and the Map never has more than 50 keys.
'use strict';

class ThumbnailImage {
  constructor(name) {
    this.name = name;
    this.pixels = new Array(256).fill(name.length);
  }
}

const thumbnails = new Map();

function renderThumbnail(name) {
  const image = new ThumbnailImage(name);
  thumbnails.set(name, new WeakRef(image));
  return image;
}

function thumbnail(name) {
  return thumbnails.get(name)?.deref() ?? renderThumbnail(name);
}

module.exports = {
  action() {
    let pixels = 0;
    for (let i = 0; i < 200; i++) pixels += thumbnail(`photo-${i % 50}`).pixels.length;
    return pixels;
  },
};
