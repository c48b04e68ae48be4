// Pattern: bound function. Each chat connection registers `this.onMessage.bind(this)`
// with the module's message router. A bound function holds its receiver, so the router
// holds the connection. close() looks for `this.onMessage`, but what was registered is a
// different function object (the bound one, which nobody kept), so nothing is removed.
'use strict';

const messageHandlers = [];

class ChatConnection {
  constructor(userId) {
    this.userId = userId;
    this.backlog = new Array(128).fill(userId);
    messageHandlers.push(this.onMessage.bind(this));
  }

  onMessage(message) {
    if (message.to === this.userId) this.backlog.push(message);
  }

  close() {
    // Looks for the unbound method, which was never registered: finds nothing.
    const index = messageHandlers.indexOf(this.onMessage);
    if (index !== -1) messageHandlers.splice(index, 1);
  }
}

function openConnection(userId) {
  const connection = new ChatConnection(userId);
  return connection;
}

let user = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) openConnection(user++).close();
  },
};
