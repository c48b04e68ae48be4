// Pattern: a setTimeout re-armed forever, holding growing state. A retry loop re-arms itself
// every 20 ms and should send the queued deliveries, but it only sends while `online`, and
// the flag is never set back after the first outage: the queue the loop holds keeps growing.
'use strict';

class Delivery {
  constructor(id) {
    this.id = id;
    this.payload = Array.from({ length: 48 }, (_, k) => `line ${id}.${k}`);
  }
}

function createRetryLoop() {
  const queue = [];
  let online = false;
  const tick = () => {
    while (online && queue.length) queue.shift();
    setTimeout(tick, 20).unref();
  };
  tick();
  return (delivery) => queue.push(delivery);
}

const enqueue = createRetryLoop();

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 40; i++) enqueue(new Delivery(n++));
  },
};
