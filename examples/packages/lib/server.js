'use strict';
// A loopback HTTP server for the package scenarios: answers every request with a small JSON
// body. unref'd, so it never keeps a scenario process alive.

const http = require('node:http');

async function startServer() {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, items: Array.from({ length: 20 }, (_, i) => ({ id: i, label: `item ${i}` })) }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${server.address().port}`, server };
}

module.exports = { startServer };
