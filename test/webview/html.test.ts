// The page template: the CSP the extension sets, and no way to break out of it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, renderWebviewHtml } from '../../src/webview/html';

const options = {
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css',
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'abcdefABCDEF0123456789==',
};

test('the page carries the strict CSP and a nonce on its only script', () => {
  const html = renderWebviewHtml(options);
  const csp =
    "default-src 'none'; img-src https://*.vscode-cdn.net data:; style-src https://*.vscode-cdn.net 'nonce-abcdefABCDEF0123456789=='; script-src 'nonce-abcdefABCDEF0123456789==';";
  assert.equal(contentSecurityPolicy(options.cspSource, options.nonce), csp);
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, "'")}">`));
  assert.equal(html.match(/<script\b/g)?.length, 1);
  assert.ok(html.includes(`<script nonce="${options.nonce}" src="${options.scriptUri}"></script>`));
  assert.ok(!/\sstyle=/.test(html), 'no inline style attributes');
  assert.ok(!/\son[a-z]+=/.test(html), 'no inline event handlers');
  assert.ok(html.includes(`<link rel="stylesheet" href="${options.styleUri}">`));
});

test('bad nonces and sources are refused, URIs are escaped', () => {
  assert.throws(() => renderWebviewHtml({ ...options, nonce: "x' 'unsafe-inline" }));
  assert.throws(() => renderWebviewHtml({ ...options, nonce: 'short' }));
  assert.throws(() => renderWebviewHtml({ ...options, cspSource: "https://a; script-src 'unsafe-eval'" }));
  const html = renderWebviewHtml({ ...options, scriptUri: 'https://x/"><script>alert(1)</script>' });
  assert.equal(html.match(/<script\b/g)?.length, 1);
});

test('landmarks and labels for assistive technology', () => {
  const html = renderWebviewHtml(options);
  for (const needle of [
    'role="toolbar"',
    'aria-label="Retainer graph.',
    '<main',
    '<aside',
    'aria-live="polite"',
    'aria-label="Retainer path, from GC root to object"',
    '<span class="visually-hidden">Search nodes</span>',
  ]) {
    assert.ok(html.includes(needle), needle);
  }
});

test("VS Code's own source list ('self' plus its CDN) is accepted as it comes", () => {
  const html = renderWebviewHtml({ ...options, cspSource: "'self' https://*.vscode-cdn.net" });
  assert.match(
    html,
    /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net|style-src 'self' https:\/\/\*\.vscode-cdn\.net/,
  );
  assert.throws(() => renderWebviewHtml({ ...options, cspSource: "'self' 'unsafe-inline'" }));
  assert.throws(() => renderWebviewHtml({ ...options, cspSource: "'self', https://a" }));
});
