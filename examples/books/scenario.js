// Heap Lens scenario for the books demo: one action is one nightly batch.
// Expected report: ~1,000 Book objects per iteration, retained by
// ParseBookError.reasons -> closure -> context.book.
'use strict';

const { processBooks } = require('./books');

module.exports = {
  action() {
    const books = processBooks(2000);
    if (books.length !== 1000) throw new Error(`expected 1000 valid books, got ${books.length}`);
  },
};
