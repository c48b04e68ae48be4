'use strict';
// Dictionary cache: responses cached in a plain object keyed by the full URL, and every
// client appends a cache-busting `?_=<timestamp>` parameter, so no key is ever asked for
// twice. With thousands of keys V8 turns the object into dictionary mode; it grows forever.

class CachedPage {
  constructor(url) {
    this.url = url;
    this.html = `<html><body>${url}</body></html> `.repeat(10);
  }
}

const pageCache = {};

function render(url) {
  let page = pageCache[url];
  if (!page) {
    page = new CachedPage(url);
    pageCache[url] = page;
  }
  return page.html.length;
}

let clock = 1_700_000_000_000;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) render(`/catalog/shoes?_=${clock++}`);
  },
};
