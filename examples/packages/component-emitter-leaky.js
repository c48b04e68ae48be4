'use strict';
// component-emitter@1.2.1 (leaky) / 1.3.0 (control: component-emitter-fixed.js). `off(event,
// fn)` removed the listener but left an empty array under `_callbacks['$' + event]`
// (component/emitter#74; engine.io-client#552): with an event name per request, the
// emitter's `_callbacks` dictionary gains an entry per request forever.
const { load } = require('./lib/packages');
const Emitter = load('component-emitter-leaky');

const replies = new Emitter();

function awaitReply(id, onReply) {
  replies.on(`reply:${id}`, onReply);
}

let nextId = 0;

module.exports = {
  action() {
    for (let i = 0; i < 1000; i++) {
      const id = nextId++;
      const onReply = () => replies.off(`reply:${id}`, onReply);
      awaitReply(id, onReply);
      replies.emit(`reply:${id}`, { id });
    }
  },
};
