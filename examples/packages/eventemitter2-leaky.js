'use strict';
// eventemitter2@6.4.2 (leaky) / 6.4.3 (control: eventemitter2-fixed.js). `waitFor(event,
// {timeout})` left its listener behind once the event came (EventEmitter2#259, fixed in
// 6.4.3 by #263): every resolved wait stays in the emitter's `_events` list.
const { load } = require('./lib/packages');
const { EventEmitter2 } = load('eventemitter2-leaky');

const bus = new EventEmitter2();

async function nextTick(i) {
  const waiting = bus.waitFor('tick', { timeout: 60_000 });
  bus.emit('tick', i);
  return waiting;
}

module.exports = {
  async action() {
    for (let i = 0; i < 100; i++) await nextTick(i);
  },
};
