// Run the batch a few times without any tool, the way the story's author first did:
//   node --expose-gc examples/books/main.js
// Every batch keeps 1,000 books, yet the heap grows by ~2 MB a batch.
'use strict';

const { processBooks } = require('./books');

for (let batch = 1; batch <= 5; batch++) {
  const books = processBooks(2000);
  if (global.gc) global.gc();
  const mb = (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1);
  console.log(`batch ${batch}: kept ${books.length} books, heap ${mb} MB`);
}
console.log('done');
