// Pattern: closure context sharing. Both closures created in importFile() share ONE
// context object. `describe` uses `parsed`, so V8 puts `parsed` in that context; the
// cleanup hook never mentions `parsed`, yet it holds the same context, and the hook is
// kept until shutdown. Every parsed import stays alive through a function that does not
// use it.
'use strict';

class ParsedImport {
  constructor(fileName, rows) {
    this.fileName = fileName;
    this.rows = rows;
  }
}

const shutdownHooks = [];

function parseRows(fileName) {
  return Array.from({ length: 128 }, (_, k) => fileName.length * k);
}

function importFile(fileName) {
  const parsed = new ParsedImport(fileName, parseRows(fileName));
  const describe = () => `${parsed.fileName}: ${parsed.rows.length} rows`;
  shutdownHooks.push(() => console.log(`closing ${fileName}`));
  return describe();
}

let fileNo = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) importFile(`import-${fileNo++}.csv`);
  },
};
