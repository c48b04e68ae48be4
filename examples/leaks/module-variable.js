// Pattern: module-level variable. A plain object used as a response cache lives in the
// module's scope, so it lives as long as the module (forever, once required); nothing
// ever deletes a key, and every request has its own key.
'use strict';

const crypto = require('node:crypto');

class CachedResponse {
  constructor(url, body) {
    this.url = url;
    this.body = body;
    this.storedAt = Date.now();
  }
}

// Keyed by URL. Query strings make every URL unique, so "cache" is a polite word for log.
const responseCache = {};

function cacheResponse(url, body) {
  const entry = new CachedResponse(url, body);
  responseCache[url] = entry;
  return entry;
}

let requestNo = 0;

function fetchReport(query) {
  const url = `/reports?q=${encodeURIComponent(query)}&n=${requestNo++}`;
  if (responseCache[url]) return responseCache[url].body;
  return cacheResponse(url, renderReport(query)).body;
}

function renderReport(query) {
  // ~1 KB of distinct text per report.
  return `${query}:${crypto.randomBytes(512).toString('hex')}`;
}

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) fetchReport(`sales-${i}`);
  },
};
