// Control: heavy per-iteration garbage (must NOT be reported). Each action builds a few
// MB of rows and strings, aggregates them, and drops everything: lots of allocation,
// nothing retained.
'use strict';

class ReportRow {
  constructor(region, amount, notes) {
    this.region = region;
    this.amount = amount;
    this.notes = notes;
  }
}

function loadRows(count) {
  const rows = [];
  for (let i = 0; i < count; i++) rows.push(new ReportRow(`region-${i % 12}`, i * 3, new Array(64).fill(i)));
  return rows;
}

function summarize(rows) {
  const totals = {};
  for (const row of rows) totals[row.region] = (totals[row.region] || 0) + row.amount;
  return JSON.stringify({ totals, sample: rows.slice(0, 500) }).length;
}

module.exports = {
  action() {
    return summarize(loadRows(5000));
  },
};
