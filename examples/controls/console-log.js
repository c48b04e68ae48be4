// Control: objects logged with console.log in a loop (must NOT be reported). While an inspector
// session has Runtime enabled, V8 keeps the arguments of the last 1,000 console messages for
// it, so each logged summary stays alive after the program dropped it. That is the debugger's
// doing, not the program's: a hunt discards the console's messages before its snapshot
// (Runtime.discardConsoleEntries), and then nothing holds the summaries.
'use strict';

class RequestSummary {
  constructor(id) {
    this.id = id;
    this.route = `/orders/${id}`;
    this.timings = Array.from({ length: 32 }, (_, k) => k * id);
  }
}

let n = 0;

function handle() {
  const summary = new RequestSummary(n++);
  console.log('handled', summary);
}

module.exports = {
  action() {
    for (let i = 0; i < 50; i++) handle();
  },
};
