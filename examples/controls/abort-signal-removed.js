// Control: listeners on a long-lived AbortSignal that are removed (must NOT be reported).
// Same shape as the abort-timeout-listener leak, but each request passes `{ signal }` of its
// own controller and aborts it when done, which removes its 'abort' listener from the
// shutdown signal.
'use strict';

const shutdown = new AbortController();

class ShutdownWatch {
  constructor(id) {
    this.id = id;
    this.buffer = Array.from({ length: 48 }, (_, k) => `chunk ${id}.${k}`);
  }
}

function handle(id) {
  const watch = new ShutdownWatch(id);
  const done = new AbortController();
  shutdown.signal.addEventListener('abort', () => (watch.buffer = []), { signal: done.signal });
  done.abort();
  return watch.buffer.length;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) handle(n++);
  },
};
