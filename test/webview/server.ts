// A tiny loopback server that serves the webview page exactly as the extension
// renders it (same renderWebviewHtml, same CSP), so the page is tested under the
// policy VS Code enforces. A fresh nonce per page load, like the extension.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { renderWebviewHtml } from '../../src/webview/html';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

const FILES: Record<string, { file: string; type: string }> = {
  '/media/dist/webview.js': { file: 'media/dist/webview.js', type: 'text/javascript' },
  '/media/webview.css': { file: 'media/webview.css', type: 'text/css' },
  '/media/workbench.css': { file: 'media/workbench.css', type: 'text/css' },
  '/media/graph.css': { file: 'media/graph.css', type: 'text/css' },
};

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'media/dist/webview.js'))) {
    throw new Error('media/dist/webview.js is missing: run `node scripts/build.mjs` first');
  }
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const html = renderWebviewHtml({
        scriptUri: `${origin}/media/dist/webview.js`,
        styleUri: `${origin}/media/webview.css`,
        cspSource: origin,
        nonce: randomBytes(16).toString('base64'),
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const entry = FILES[url.pathname];
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${entry.type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(fs.readFileSync(path.join(REPO_ROOT, entry.file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
