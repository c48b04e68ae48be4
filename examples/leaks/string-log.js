// Pattern: strings concatenated into a growing log. The debug log is kept in one module
// string, `traceLog += line`, and never written out: each line is a new string, and the
// rope of concatenations keeps them all.
'use strict';

let traceLog = '';

function trace(requestId, step) {
  traceLog += `[${new Date(1700000000000 + requestId).toISOString()}] request ${requestId} step ${step} ${'.'.repeat(80)}\n`;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 600; i++) trace(n++, i % 5);
  },
  get length() {
    return traceLog.length;
  },
};
