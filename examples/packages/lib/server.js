'use strict';
// A loopback HTTP server for the package scenarios: answers every request with a small JSON
// body. unref'd, so it never keeps a scenario process alive.

const http = require('node:http');

async function startServer() {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, items: Array.from({ length: 20 }, (_, i) => ({ id: i, label: `item ${i}` })) }));
  });
  // No idle timeout on kept-alive sockets: a hunt pauses for seconds between iterations
  // (snapshots), and a socket the server closes just as the client reuses it fails the
  // request with ECONNRESET.
  server.keepAliveTimeout = 0;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${server.address().port}`, server };
}

module.exports = { startServer };
