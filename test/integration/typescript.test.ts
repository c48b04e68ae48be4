// TypeScript as people have it, with no build step: scenarios that fail to load say so in one
// line naming the user's file and line; a live hunt in a TypeScript program (run through a
// transpile-on-load hook, or compiled with source maps beside the output) reports .ts lines.
// The leaking TypeScript examples themselves run in examples.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startHuntWorker } from '../../src/hunt/client';
import { CLI, REPO, tempDir } from '../helpers/snapshots';
import { processesMentioning, startInspectServer } from '../helpers/processes';
import { candidates, formatOf } from '../../src/inspector/tsLoader';

const TS_LOADER = path.join(REPO, 'dist', 'tsLoader.js');
const HUNT_WORKER = path.join(REPO, 'dist', 'huntWorker.js');
const SERVER = path.join(REPO, 'test', 'fixtures', 'typescript', 'server.ts');

function findLeaks(scenario: string): { code: number | null; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'find-leaks', scenario, '--quiet'], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: REPO,
  });
  return { code: r.status, err: r.stderr };
}

/** A folder of files for one case: `{ 'a.ts': '…' }`. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tempDir(), name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test('a TypeScript syntax error is one line naming the file, line and column, for CommonJS and ES modules', () => {
  const dir = project('syntax', {
    'scenario.ts': "import { helper } from './helper';\nexport function action(): void { helper(); }\n",
    'helper.ts': 'export function helper(): void {\n  const n: number = ;\n}\n',
    'esm.mts': 'export async function action(): Promise<void> {\n  let x: = 1;\n}\n',
  });
  for (const [file, where] of [
    ['scenario.ts', /helper\.ts:2:21: /],
    ['esm.mts', /esm\.mts:2:10: /],
  ] as const) {
    const r = findLeaks(path.join(dir, file));
    assert.equal(r.code, 1, r.err);
    const lines = r.err
      .trim()
      .split('\n')
      .filter((l) => !/^(Debugger listening|For help|Debugger attached)/.test(l));
    assert.equal(lines.length, 1, `one line, not a stack:\n${r.err}`);
    assert.match(lines[0], where);
    assert.doesNotMatch(r.err, /node:internal|at .*\(/);
    assert.deepEqual(processesMentioning(path.join(dir, file)), [], 'no debuggee left');
  }
});

test("a TypeScript scenario that throws while loading names the user's .ts line, not Node's stack", () => {
  const dir = project('throws', {
    'scenario.ts':
      "import { connect } from './db';\nconnect('postgres://nowhere');\nexport function action(): void {}\n",
    'db.ts':
      'export function connect(url: string): never {\n  // A comment, so the .ts line differs from the emitted one.\n  throw new Error(`cannot reach ${url}`);\n}\n',
  });
  const r = findLeaks(path.join(dir, 'scenario.ts'));
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /cannot reach postgres:\/\/nowhere \(at .*db\.ts:3\)/);
  assert.doesNotMatch(r.err, /node:internal|\n\s+at /);
});

test('tsconfig paths aliases, NodeNext .js specifiers and the module format are resolved as TypeScript does', () => {
  const dir = project('resolve', {
    'tsconfig.json':
      '{\n  // comments and trailing commas, as tsconfig allows\n  "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/*"], }, },\n}\n',
    'src/util.ts': 'export {};\n',
    'src/dir/index.ts': 'export {};\n',
    'src/main.ts': 'export {};\n',
    'esm/package.json': '{ "type": "module" }',
    'esm/a.ts': 'export {};\n',
  });
  const from = path.join(dir, 'src', 'main.ts');
  assert.deepEqual(candidates('@app/util', from), [path.join(dir, 'src', 'util.ts')]);
  assert.deepEqual(candidates('./util.js', from), [path.join(dir, 'src', 'util.ts')]);
  assert.deepEqual(candidates('./dir', from), [path.join(dir, 'src', 'dir', 'index.ts')]);
  assert.deepEqual(candidates('@other/util', from), []);
  assert.equal(formatOf(from), 'cjs');
  assert.equal(formatOf(path.join(dir, 'esm', 'a.ts')), 'esm');
  assert.equal(formatOf(path.join(dir, 'esm', 'b.cts')), 'cjs');
  assert.equal(formatOf(path.join(dir, 'src', 'c.mts')), 'esm');
});

/**
 * One retry: V8 now and then keeps no allocation record for a live hunt's survivors
 * (docs/v8-facts.md), which a fresh process tells from a real miss.
 */
async function liveHuntLeak(program: string, execArgv: string[]): Promise<{ path: string; line: number }> {
  try {
    return await liveHuntLeakOnce(program, execArgv);
  } catch {
    return liveHuntLeakOnce(program, execArgv);
  }
}

async function liveHuntLeakOnce(
  program: string,
  execArgv: string[],
): Promise<{ path: string; line: number }> {
  const server = await startInspectServer(program, execArgv);
  const worker = startHuntWorker(HUNT_WORKER);
  try {
    await worker.api.liveStart({ host: '127.0.0.1', port: server.inspectPort });
    for (let i = 1; i <= 3; i++) {
      for (let k = 0; k < 30; k++)
        await (await fetch(`http://127.0.0.1:${server.httpPort}/item/${i}/${k}`)).text();
      await worker.api.liveSnapshot();
    }
    const outcome = await worker.api.liveFinish();
    const leak = outcome.report.leaks.find((l) => l.name === 'TsRequestRecord');
    assert.ok(leak, outcome.report.leaks.map((l) => l.name).join());
    const site = leak.allocationSites[0];
    assert.ok(site, 'the leak has an allocation site');
    return { path: site.path, line: site.line };
  } finally {
    await worker.dispose();
    server.process.kill('SIGKILL');
  }
}

const allocLine =
  fs
    .readFileSync(SERVER, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('HEAPLENS_TS_SERVER_ALLOC')) + 1;

test('a live hunt in a TypeScript program run through a transpile-on-load hook reports the .ts line', async () => {
  assert.deepEqual(await liveHuntLeak(SERVER, ['--require', TS_LOADER]), { path: SERVER, line: allocLine });
});

test('a live hunt in a TypeScript program compiled with source maps (outFiles) reports the .ts line', async () => {
  const out = path.join(tempDir(), 'compiled');
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [
    tsc,
    SERVER,
    '--outDir',
    out,
    '--sourceMap',
    '--module',
    'commonjs',
    '--target',
    'es2022',
    '--esModuleInterop',
    '--types',
    'node',
    '--typeRoots',
    path.join(REPO, 'node_modules', '@types'),
  ]);
  assert.deepEqual(await liveHuntLeak(path.join(out, 'server.js'), []), { path: SERVER, line: allocLine });
});
