// Pattern: EventEmitter listener. Every tenant connection subscribes to a process-wide
// "config reloaded" emitter and nobody unsubscribes when the connection is dropped; the
// emitter's listener array keeps each handler, and the handler's closure keeps the
// connection. Someone raised the listener limit to silence MaxListenersExceededWarning,
// which was the one thing pointing at the leak.
'use strict';

const { EventEmitter } = require('node:events');

const configEvents = new EventEmitter();
configEvents.setMaxListeners(0);

class TenantConnection {
  constructor(tenantId) {
    this.tenantId = tenantId;
    this.settings = new Array(128).fill(tenantId);
    this.closed = false;
  }
}

function connectTenant(tenantId) {
  const connection = new TenantConnection(tenantId);
  configEvents.on('reload', (config) => {
    connection.settings = config.settingsFor(connection.tenantId);
  });
  return connection;
}

function disconnect(connection) {
  connection.closed = true; // ...but the 'reload' listener is still registered
}

let tenant = 0;

module.exports = {
  action() {
    for (let i = 0; i < 200; i++) disconnect(connectTenant(tenant++));
  },
};
