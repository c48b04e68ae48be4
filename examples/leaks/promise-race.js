// Pattern: Promise.race against a promise that never settles. Every query races its work
// against `shutdown`, which settles only when the server stops; each race adds a reaction to
// `shutdown` that holds the race's own promise, and with it the query's result, for as long
// as `shutdown` lives (nodejs/node#17469: "Promise.race leaks memory").
'use strict';

let stopServer;
const shutdown = new Promise((resolve) => {
  stopServer = resolve;
});

class QueryResult {
  constructor(id) {
    this.id = id;
    this.rows = Array.from({ length: 16 }, (_, k) => ({ row: k, text: `row ${k} of query ${id}` }));
  }
}

async function runQuery(id) {
  const result = new QueryResult(id);
  return Promise.race([Promise.resolve(result), shutdown]);
}

let n = 0;

module.exports = {
  async action() {
    for (let i = 0; i < 100; i++) await runQuery(n++);
  },
  /** Not called by the runner: how a server would end the race. */
  stop: () => stopServer(),
};
