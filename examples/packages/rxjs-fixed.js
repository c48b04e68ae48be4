'use strict';
// CONTROL: the fixed twin of rxjs-leaky.js (same code, the version with the fix): must report nothing.
// rxjs@5.1.0 (leaky) / rxjs@5.1.1 (control: rxjs-fixed.js). switchMap unsubscribes the previous
// inner subscription when a new value arrives, but in 5.1.0 an unsubscribed child stayed in its
// parent's list of subscriptions: a long-lived stream through switchMap keeps every superseded
// inner subscriber and the value it was made for (ReactiveX/rxjs#2355, fixed in 5.1.1 by #2360).
const { load } = require('./lib/packages');
const Rx = load('rxjs-fixed/Rx');

class SearchQuery {
  constructor(text) {
    this.text = text;
    this.filters = Array.from({ length: 24 }, (_, k) => `${text} filter ${k}`);
  }
}

const queries = new Rx.Subject();
let shown = 0;
// A search that answers later (never, here): each new query supersedes the last one's search.
queries.switchMap(() => Rx.Observable.never()).subscribe(() => shown++);

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) queries.next(new SearchQuery(`query ${n++}`));
  },
};
