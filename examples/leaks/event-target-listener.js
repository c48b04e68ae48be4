// Pattern: EventTarget listener. A long-lived market feed (a web-style EventTarget) is
// given one 'price' listener per subscription; unsubscribing marks the subscription
// inactive but never calls removeEventListener, so the feed keeps every listener and
// each listener keeps its subscription.
'use strict';

const { setMaxListeners } = require('node:events');

const marketFeed = new EventTarget();
// Node warns past 10 listeners on an EventTarget; the warning was muted, not heeded.
setMaxListeners(0, marketFeed);

class PriceSubscription {
  constructor(symbol) {
    this.symbol = symbol;
    this.history = new Array(512).fill(0);
    this.active = true;
  }
}

function subscribe(symbol) {
  const subscription = new PriceSubscription(symbol);
  marketFeed.addEventListener('price', (event) => {
    if (subscription.active && event.symbol === subscription.symbol) subscription.history.push(event.price);
  });
  return subscription;
}

function unsubscribe(subscription) {
  subscription.active = false;
}

let n = 0;

module.exports = {
  action() {
    for (let i = 0; i < 50; i++) unsubscribe(subscribe(`SYM${n++}`));
  },
};
