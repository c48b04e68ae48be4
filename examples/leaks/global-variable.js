// Pattern: global variable. A debugging aid stashes every query trace on globalThis so it
// can be inspected from a REPL; the global object is a GC root, and the list is never
// trimmed.
'use strict';

class QueryTrace {
  constructor(sql, params, rows) {
    this.sql = sql;
    this.params = params;
    this.rows = rows;
    this.at = process.hrtime.bigint();
  }
}

globalThis.__recentQueries = globalThis.__recentQueries || [];

function traceQuery(sql, params, rows) {
  const trace = new QueryTrace(sql, params, rows);
  globalThis.__recentQueries.push(trace);
  return trace;
}

function runQuery(sql, params) {
  // Fake result set: ~1 KB of row ids per query.
  const rows = Array.from({ length: 128 }, (_, k) => params[0] * 1000 + k);
  traceQuery(sql, params, rows);
  return rows;
}

let customer = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) runQuery('SELECT id FROM orders WHERE customer_id = $1', [customer++]);
  },
};
