#!/usr/bin/env node
// What `npm test` needs besides node_modules, found or installed before the tests run (the
// pretest step), so that a fresh clone passes with `npm ci && npm test` and nothing else:
//   - a Chromium for the webview tests (playwright-core drives it; it never downloads a browser).
//     Debian's package is installed when we run as root with apt-get; otherwise one line says what
//     to install, and the webview tests fail with that same line (test/webview/page.ts).
//   - DevTools' heap-snapshot worker (chrome-devtools-frontend, pinned), which the parity test
//     runs as the reference (test/oracles/devtools-oracle.mjs). It is installed from npm into a
//     cache folder outside the repo, so it never enters our package.json or lockfile.
//   - the real npm packages the package examples run (examples/packages/install.sh, into
//     ~/.cache/heaplens/example-packages), for test/integration/examples.test.ts.
// Idempotent and quick when everything is there (a few file reads).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// Pinned: another DevTools build may compute other retained sizes, which would make a parity
// failure say nothing about us. The version the anchors were measured with.
export const DEVTOOLS_PACKAGE = 'chrome-devtools-frontend';
export const DEVTOOLS_VERSION = '1.0.1705227';

/** Where the reference analyzers live: $HEAPLENS_ANCHORS_CACHE, else the user's cache folder. */
export function anchorsCache() {
  if (process.env.HEAPLENS_ANCHORS_CACHE) return path.resolve(process.env.HEAPLENS_ANCHORS_CACHE);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'heaplens', 'anchors');
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** The one line a missing browser is reported with, here and by the webview tests. */
// (test/webview/page.ts throws the same words when it cannot find the browser.)
export const chromiumMissing = () =>
  `webview tests need Chromium at ${chromiumPath()}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`;

function installedVersion(dir, name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function run(cmd, args, log, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.appendFileSync(log, `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.status === 0;
}

function ensureAnchors() {
  const dir = anchorsCache();
  if (installedVersion(dir, DEVTOOLS_PACKAGE) === DEVTOOLS_VERSION) return true;
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'install.log');
  fs.writeFileSync(log, '');
  console.log(`test-deps: installing ${DEVTOOLS_PACKAGE}@${DEVTOOLS_VERSION} into ${dir}`);
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'heaplens-anchors', private: true }, null, 2),
    );
  }
  // npm, not npx: the package has no dependencies, and its scripts are never run.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const ok = run(
    npm,
    [
      'install',
      '--prefix',
      dir,
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--save-exact',
      `${DEVTOOLS_PACKAGE}@${DEVTOOLS_VERSION}`,
    ],
    log,
  );
  if (!ok || installedVersion(dir, DEVTOOLS_PACKAGE) !== DEVTOOLS_VERSION) {
    console.error(
      `test-deps: could not install ${DEVTOOLS_PACKAGE}@${DEVTOOLS_VERSION} into ${dir} (log: ${log}); the parity test will fail`,
    );
    return false;
  }
  return true;
}

function ensureChromium() {
  if (fs.existsSync(chromiumPath())) return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!root || !apt || process.env.CHROMIUM_PATH) {
    console.error(`test-deps: ${chromiumMissing()}`);
    return false;
  }
  const log = path.join(os.tmpdir(), 'heaplens-apt.log');
  fs.writeFileSync(log, '');
  console.log("test-deps: installing Debian's chromium (apt-get)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ok =
    run('apt-get', ['update', '-qq'], log, env) &&
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], log, env);
  if (!ok || !fs.existsSync(chromiumPath())) {
    console.error(`test-deps: apt-get could not install chromium (log: ${log}); ${chromiumMissing()}`);
    return false;
  }
  return true;
}

function ensureExamplePackages() {
  const script = path.join(
    path.dirname(new URL(import.meta.url).pathname),
    '..',
    'examples',
    'packages',
    'install.sh',
  );
  if (!fs.existsSync(script)) return true;
  const r = spawnSync('sh', [script], { stdio: 'inherit' });
  if (r.status !== 0) console.error(`test-deps: ${script} failed; the package examples will fail`);
  return r.status === 0;
}

// Run as a script (the pretest step); imported, it only lends its paths.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureChromium();
  ensureAnchors();
  ensureExamplePackages();
  // Never fail here: the tests that need what is missing fail with the line above, the others run.
}
