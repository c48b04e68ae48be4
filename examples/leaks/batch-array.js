// Pattern: one new container per unit of work, kept. Each import run collects its parsed rows in
// a batch array and pushes the batch onto `importHistory` for an undo feature that was never
// built: every iteration adds one array, and it holds the run's rows.
'use strict';

class ParsedRow {
  constructor(line) {
    this.line = line;
    this.cells = line.split(',');
  }
}

const importHistory = [];

function importCsv(run) {
  const batch = [];
  for (let i = 0; i < 250; i++) batch.push(new ParsedRow(`${run},${i},name-${i},${'x'.repeat(40)}`));
  importHistory.push(batch);
  return batch.length;
}

let run = 0;

module.exports = {
  action() {
    importCsv(run++);
  },
};
