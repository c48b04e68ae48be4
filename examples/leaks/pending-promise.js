// Pattern: pending promise / suspended async function. Saving a draft first awaits the
// "database ready" promise. The connect event it waits for had already fired before the
// listener was attached, so the promise never settles: every saveDraft() call stays
// suspended at its await, and a suspended async function keeps its locals (the draft)
// alive, held by the reaction list of the module-level promise.
'use strict';

const { EventEmitter } = require('node:events');

const db = new EventEmitter();
db.emit('connect'); // happens during startup, before anyone listens
const dbReady = new Promise((resolve) => db.once('connect', resolve));

class DraftDocument {
  constructor(author, text) {
    this.author = author;
    this.text = text;
  }
}

async function saveDraft(author, text) {
  const draft = new DraftDocument(author, text);
  await dbReady;
  return { saved: draft.author, bytes: draft.text.length };
}

let author = 0;

function draftText(n) {
  return Array.from({ length: 1024 }, (_, k) => (n + k) % 10).join('');
}

module.exports = {
  action() {
    for (let i = 0; i < 100; i++) {
      const who = `author-${author++}`;
      saveDraft(who, draftText(author)).catch(() => {});
    }
  },
};
