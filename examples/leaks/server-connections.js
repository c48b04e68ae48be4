// Pattern: a server's connection list. The server tracks its open connections for a
// graceful shutdown, adding each socket on 'connection' and meaning to remove it when it
// closes; the handler listens for 'end' instead, which a socket whose client resets the
// connection (RST, as a crashed client or a load balancer does) never emits: the Map keeps
// every closed socket and its ClientInfo.
'use strict';

const net = require('node:net');

class ClientInfo {
  constructor(socket) {
    this.remotePort = socket.remotePort;
    this.connectedAt = Date.now();
    this.log = Array.from({ length: 64 }, (_, k) => `event ${k}`);
  }
}

const connections = new Map();
let server;
let port;

function track(socket) {
  connections.set(socket, new ClientInfo(socket));
  socket.on('end', () => connections.delete(socket));
}

function connectOnce() {
  return new Promise((resolve, reject) => {
    const client = net.connect(port, '127.0.0.1', () => client.write('ping'));
    client.on('data', () => client.resetAndDestroy());
    client.on('close', resolve);
    client.on('error', reject);
  });
}

module.exports = {
  async setup() {
    server = net.createServer((socket) => {
      track(socket);
      socket.on('data', () => socket.write('pong'));
      socket.on('error', () => {});
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    port = server.address().port;
  },
  async action() {
    for (let i = 0; i < 20; i++) await connectOnce();
  },
};
