// Nightly import: validate a batch of books and keep the ones that pass.
// (The Node retelling of the story in /work/shared/seed: see ../README.md for what goes
// wrong. The code is written the way it was before anyone knew.)
'use strict';

class Book {
  constructor(title, description, cost) {
    this.title = title;
    this.description = description;
    this.cost = cost;
  }
}

// Half of every batch is rejected, and constructing an Error captures a stack trace each
// time. Callers only need to know that a book failed, so all rejections share one error.
const ParseBookError = new Error('parse book failed!');
ParseBookError.code = 'ERR_PARSE_BOOK';
// Formatting a reason per rejection is wasted work when nobody reads it, so reasons are
// kept as thunks and formatted only on demand (see rejectionReasons).
ParseBookError.reasons = [];

function validateBook(book) {
  if (book.cost % 2 === 0) return book;
  ParseBookError.reasons.push(() => `"${book.title}" has an odd cost (${book.cost})`);
  throw ParseBookError;
}

const LOREM = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor'.split(' ');

// About 2 KB of text, different for every book.
function describe(i) {
  const words = [];
  for (let k = 0; k < 340; k++) words.push(LOREM[(i + k) % LOREM.length]);
  return `${i}: ${words.join(' ')}`;
}

function processBooks(count = 2000) {
  const books = [];
  for (let i = 0; i < count; i++) {
    const book = new Book('title', describe(i), i);
    try {
      books.push(validateBook(book));
    } catch (err) {
      if (err !== ParseBookError) throw err;
      continue;
    }
  }
  return books;
}

function rejectionReasons(limit = 10) {
  return ParseBookError.reasons.slice(-limit).map((reason) => reason());
}

module.exports = { Book, ParseBookError, validateBook, processBooks, rejectionReasons };
