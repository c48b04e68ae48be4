// Opens the webview page in Chromium with a stand-in for VS Code's acquireVsCodeApi.
// The shim is the host boundary: it records what the page posts. Everything on the
// page side of it is the real bundle. CSP violations, console errors, page errors
// and dialogs are collected so every test can assert the page stayed clean.

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../src/contracts/webview';
import { REPO_ROOT } from './server';
import type { Theme } from './themes';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  // One line, not playwright's stack: the same words scripts/test-deps.mjs prints before the run.
  if (!fs.existsSync(executablePath)) {
    const missing = new Error(
      `webview tests need Chromium at ${executablePath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
    missing.stack = missing.message; // what to do, not where we were
    throw missing;
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Runs in the page before any of its scripts. */
function installShim(): void {
  const w = window as unknown as Record<string, unknown>;
  const record = { posted: [] as unknown[], csp: [] as string[], apiCalls: 0 };
  w.__heaplensTest = record;
  window.addEventListener(
    'securitypolicyviolation',
    (e) => {
      record.csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    },
    true,
  );
  w.acquireVsCodeApi = () => {
    record.apiCalls++;
    return {
      // VS Code serialises messages; a JSON round-trip catches non-cloneable payloads.
      postMessage: (m: unknown) => {
        record.posted.push(JSON.parse(JSON.stringify(m)));
      },
      getState: () => undefined,
      setState: () => undefined,
    };
  };
}

export interface WebviewPage {
  page: Page;
  /** Everything that went wrong on the page: CSP, console errors, uncaught errors, dialogs. */
  problems: string[];
  send(message: HostMessage): Promise<void>;
  posted(): Promise<WebviewMessage[]>;
  waitForPosted<T extends WebviewMessage['type']>(
    type: T,
    count?: number,
  ): Promise<Array<Extract<WebviewMessage, { type: T }>>>;
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openWebview(
  browser: Browser,
  url: string,
  options: { theme?: Theme; width?: number; height?: number } = {},
): Promise<WebviewPage> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  // Every wait is on a visible condition; five seconds is generous for each.
  page.setDefaultTimeout(5_000);
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.addInitScript(installShim);
  if (options.theme) {
    const theme = options.theme;
    // VS Code puts the theme on <html style> and the kind on <body class>; do the same
    // through the CSSOM, which the page's CSP does not restrict.
    await page.addInitScript((t: Theme) => {
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.add(t.bodyClass);
      });
    }, theme);
  }
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const rec = (window as unknown as { __heaplensTest: { posted: Array<{ type: string }> } })
        .__heaplensTest;
      return rec.posted.some((m) => m.type === 'ready');
    },
    undefined,
    { timeout: 10_000 },
  );

  const posted = (): Promise<WebviewMessage[]> =>
    page.evaluate(
      () => (window as unknown as { __heaplensTest: { posted: WebviewMessage[] } }).__heaplensTest.posted,
    );
  return {
    page,
    problems,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted,
    async waitForPosted(type, count = 1) {
      await page.waitForFunction(
        ([t, n]) => {
          const rec = (window as unknown as { __heaplensTest: { posted: Array<{ type: string }> } })
            .__heaplensTest;
          return rec.posted.filter((m) => m.type === t).length >= n;
        },
        [type, count] as const,
        { timeout: 5_000 },
      );
      return (await posted()).filter((m) => m.type === type) as never;
    },
    cspViolations: () =>
      page.evaluate(() => (window as unknown as { __heaplensTest: { csp: string[] } }).__heaplensTest.csp),
    close: () => page.close(),
  };
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/reports', name), 'utf8')) as T;
}
