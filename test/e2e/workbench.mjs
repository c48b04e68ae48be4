// Heap Lens e2e: the real VS Code workbench (code-server, VS Code 1.100.3 with its built-in
// JavaScript debugger) driven by Debian's chromium through playwright-core. This module
// starts and stops everything; heaplens.e2e.mjs holds the scenarios.
//
// Every wait is on something a person would see, with a bounded time; nothing sleeps.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const E2E_DIR =
  process.env.HEAPLENS_E2E_DIR ||
  path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'heaplens', 'e2e');
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'e2e');
const TOOLS = path.join(E2E_DIR, 'tools');
const CODE_SERVER = path.join(TOOLS, 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.HEAPLENS_E2E_CHROMIUM || '/usr/bin/chromium';

import { freePort, log, processesMentioning, stopGroup, until } from './processes.mjs';

export { log, processesMentioning, until };

const { chromium } = createRequire(path.join(TOOLS, 'package.json'))('playwright-core');

/** A fresh workspace: the fixture, the books example and one leak scenario, plus a snapshot. */
function makeWorkspace(dir) {
  fs.cpSync(path.join(REPO, 'test', 'e2e', 'fixtures', 'workspace'), dir, { recursive: true });
  fs.cpSync(path.join(REPO, 'examples', 'books'), path.join(dir, 'books'), { recursive: true });
  fs.copyFileSync(
    path.join(REPO, 'examples', 'leaks', 'array-element.js'),
    path.join(dir, 'array-element.js'),
  );
  // A TypeScript scenario with no build step (experimental decorators, a tsconfig of its own).
  fs.cpSync(path.join(REPO, 'examples', 'typescript', 'decorators'), path.join(dir, 'ts-orders'), {
    recursive: true,
  });
  execFileSync(process.execPath, ['make-snapshot.js', 'widgets.heapsnapshot'], { cwd: dir, stdio: 'ignore' });
  // A leak inside a real npm package (ajv@8, installed outside the repo by the examples'
  // installer): the gutter mark belongs on the user's call into the package.
  execFileSync('sh', [path.join(REPO, 'examples', 'packages', 'install.sh')], { stdio: 'ignore' });
  fs.mkdirSync(path.join(dir, 'packages'));
  fs.cpSync(path.join(REPO, 'examples', 'packages', 'lib'), path.join(dir, 'packages', 'lib'), {
    recursive: true,
  });
  fs.copyFileSync(
    path.join(REPO, 'examples', 'packages', 'ajv-leaky.js'),
    path.join(dir, 'packages', 'ajv-leaky.js'),
  );
}

export class Workbench {
  constructor() {
    this.run = process.env.HEAPLENS_E2E_RUN || path.join(E2E_DIR, 'runs', `run-${Date.now()}-${process.pid}`);
    this.workspace = path.join(this.run, 'workspace');
    this.shots = 0;
    this.serverPgid = 0;
    this.context = null;
    this.page = null;
  }

  async start(vsix) {
    const t0 = Date.now();
    const userData = path.join(this.run, 'user-data');
    const extensions = path.join(this.run, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.mkdirSync(extensions, { recursive: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    makeWorkspace(this.workspace);
    fs.writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'security.workspace.trust.enabled': false,
          'typescript.disableAutomaticTypeAcquisition': true,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'workbench.tips.enabled': false,
          'workbench.enableExperiments': false,
          'update.mode': 'none',
          'git.enabled': false,
          'debug.openDebug': 'openOnDebugBreak',
          'debug.internalConsoleOptions': 'openOnSessionStart',
          'editor.minimap.enabled': false,
          'window.commandCenter': false,
          'heaplens.iterations': 4,
        },
        null,
        2,
      ),
    );

    // HEAPLENS_E2E: the extension adds its agent-tools self-test command (src/extension/lmTools.ts).
    const env = { ...process.env, TMPDIR: path.join(E2E_DIR, 'tmp'), HEAPLENS_E2E: '1' };
    execFileSync(
      CODE_SERVER,
      ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix],
      { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
    );
    const installed = fs.readdirSync(extensions).filter((d) => d.startsWith('heaplens.heaplens-'));
    if (installed.length !== 1)
      throw new Error(
        `the VSIX did not install (extensions dir holds: ${fs.readdirSync(extensions).join(', ')})`,
      );

    this.port = await freePort();
    const out = fs.openSync(path.join(ARTIFACTS, 'code-server.log'), 'w');
    // detached: its own session and process group (setsid), stopped as a group.
    const child = spawn(
      CODE_SERVER,
      [
        '--bind-addr',
        `127.0.0.1:${this.port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir',
        userData,
        '--extensions-dir',
        extensions,
        this.workspace,
      ],
      { env, detached: true, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    this.serverPgid = child.pid;
    fs.writeFileSync(path.join(this.run, 'code-server.pgid'), String(child.pid));
    if (process.env.HEAPLENS_E2E_PGID_FILE)
      fs.writeFileSync(process.env.HEAPLENS_E2E_PGID_FILE, String(child.pid));
    child.unref();
    let exited = null;
    child.on('exit', (code) => {
      exited = code ?? 'signal';
    });
    await until(
      'code-server /healthz',
      async () => {
        if (exited !== null)
          throw new Error(`code-server exited (${exited}); see test-artifacts/e2e/code-server.log`);
        const r = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        return r.ok;
      },
      60_000,
      250,
    );

    this.context = await chromium.launchPersistentContext(path.join(this.run, 'browser'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.setDefaultTimeout(30_000);
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    log(`workbench ready in ${Date.now() - t0} ms on port ${this.port}`);
  }

  async stop() {
    try {
      await this.context?.close();
    } catch (e) {
      log(`closing the browser: ${e.message}`);
    }
    await stopGroup(this.serverPgid, 'code-server');
    // js-debug starts debuggees in their own process groups: end any of this run's that are left.
    const left = processesMentioning(this.run);
    for (const p of left) {
      log(`ending leftover process ${p.pid}: ${p.cmd.slice(0, 160)}`);
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    return left;
  }

  async shot(name) {
    const file = path.join(ARTIFACTS, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ---- driving the workbench -------------------------------------------------------------

  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /** Pick a row of the open quick pick whose label is exactly (or matches) `label`. */
  async pick(label, timeout = 30_000) {
    const re = label instanceof RegExp ? label : new RegExp(`^${escapeRe(label)}$`);
    const row = this.quickInput()
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: re }) })
      .first();
    await row.waitFor({ state: 'visible', timeout });
    await row.click();
  }

  /** F1, type the command's title, click the row with exactly that title. */
  async command(title, timeout = 30_000) {
    await until(
      `the command palette to offer "${title}"`,
      async () => {
        if (!(await this.quickInput().isVisible())) await this.page.keyboard.press('F1');
        const input = this.quickInput().locator('input').first();
        await input.waitFor({ state: 'visible', timeout: 5000 });
        await input.fill(`>${title}`);
        const row = this.quickInput()
          .locator('.monaco-list-row')
          .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) })
          .first();
        try {
          await row.waitFor({ state: 'visible', timeout: 3000 });
        } catch {
          await this.page.keyboard.press('Escape');
          return false;
        }
        await row.click();
        return true;
      },
      timeout,
      500,
    );
  }

  async closeAllEditors() {
    await this.command('View: Close All Editors');
    await until(
      'no editors open',
      async () => (await this.page.locator('.tabs-container .tab').count()) === 0,
      10_000,
    );
  }

  /** Open a workspace file from the Explorer (a click, as a person would). */
  /** The Explorer row of a workspace file, its folders expanded. */
  async explorerRow(relPath) {
    if (!(await this.page.locator('.explorer-folders-view').isVisible()))
      await this.command('View: Show Explorer');
    const parts = relPath.split('/');
    for (let i = 0; i < parts.length; i++) {
      const row = this.page
        .locator(`.explorer-folders-view .monaco-list-row[aria-label="${parts[i]}"]`)
        .first();
      await row.waitFor({ state: 'visible' });
      if (i === parts.length - 1) return row;
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await until(
        `folder ${parts[i]} expanded`,
        async () => (await row.getAttribute('aria-expanded')) === 'true',
        10_000,
      );
    }
  }

  /** Open a workspace file from the Explorer (a click, as a person would). */
  async openFromExplorer(relPath) {
    await (await this.explorerRow(relPath)).click();
  }

  /** The tab in front in the active editor group. */
  activeTab() {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active').first();
  }

  /** The content of the one visible webview (the panel in front). */
  webview() {
    return this.page
      .locator('iframe.webview.ready')
      .filter({ visible: true })
      .first()
      .contentFrame()
      .locator('#active-frame')
      .contentFrame();
  }

  statusItem(re) {
    return this.page
      .locator('#workbench\\.parts\\.statusbar .statusbar-item')
      .filter({ hasText: re })
      .first();
  }

  /** Right-click `target`, then choose `item` from the workbench's context menu. */
  async contextMenu(target, item, timeout = 15_000) {
    await until(
      `context menu item "${item}"`,
      async () => {
        await target.click({ button: 'right' });
        const entry = this.page
          .locator('.context-view .monaco-menu .action-item .action-label')
          .filter({ hasText: new RegExp(`^${escapeRe(item)}$`) })
          .first();
        try {
          await entry.waitFor({ state: 'visible', timeout: 2500 });
        } catch {
          await this.page.keyboard.press('Escape');
          return false;
        }
        await entry.hover();
        await entry.click();
        // The menu sometimes swallows a click that lands while it is still settling; the item
        // is highlighted by then, so Enter chooses it. Only when the menu is still open.
        const menu = this.page.locator('.context-view .monaco-menu');
        const closed = await menu.waitFor({ state: 'hidden', timeout: 1500 }).then(
          () => true,
          () => false,
        );
        if (!closed) {
          log(`context menu still open after clicking "${item}": pressing Enter`);
          await this.page.keyboard.press('Enter');
          await menu.waitFor({ state: 'hidden', timeout: 3000 });
        }
        return true;
      },
      timeout,
      300,
    );
  }

  /** Text of the Debug Console (REPL) as shown. */
  async debugConsoleText() {
    return (await this.page.locator('.repl .monaco-list-rows').allInnerTexts()).join('\n');
  }
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
