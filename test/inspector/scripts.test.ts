// Script ids → URLs, and allocation sites in compiled TypeScript resolving to the .ts
// line, end to end: compile, run under the harness, track, snapshot, resolve.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { ScriptRegistry, startDebuggee } from '../../src/inspector';
import { FileSink, assertGone, fixture, tempDir, traceFunctionInfos } from './helpers';

const tsSource = fs.readFileSync(fixture('leaky.ts'), 'utf8');
const allocLine = tsSource.split('\n').findIndex((l) => l.includes('HEAPLENS_TS_ALLOC_LINE')) + 1;
const makeEntryLine = tsSource.split('\n').findIndex((l) => l.startsWith('function makeEntry')) + 1;

/** Compile leaky.ts into `dir` with tsc (external .map next to the .js, or inline). */
function compileWithTsc(dir: string, inline: boolean): string {
  const tsFile = path.join(dir, 'leaky.ts');
  fs.copyFileSync(fixture('leaky.ts'), tsFile);
  const program = ts.createProgram([tsFile], {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    outDir: dir,
    sourceMap: !inline,
    inlineSourceMap: inline,
    strict: true,
    skipLibCheck: true,
    types: [],
  });
  const emit = program.emit();
  assert.ok(!emit.emitSkipped, 'tsc emit skipped');
  return path.join(dir, 'leaky.js');
}

/** Compile with esbuild (bundled, so generated and original lines differ a lot). */
function compileWithEsbuild(dir: string): string {
  const out = path.join(dir, 'bundle.cjs');
  esbuild.buildSync({
    entryPoints: [fixture('leaky.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: 'external',
    outfile: out,
    banner: { js: '\n\n\n// shifted\n' },
  });
  return out;
}

async function allocationSiteOf(scenario: string, fnName: string) {
  const dir = tempDir('ts-run');
  const d = await startDebuggee(scenario);
  try {
    await d.startTracking();
    for (let i = 0; i < 3; i++) await d.runIteration();
    const sink = new FileSink(path.join(dir, 'tracked.heapsnapshot'));
    await d.takeSnapshot(sink);
    await d.stopTracking();
    // As a hunt does, after its last snapshot (prepareDebuggee says why).
    await d.announceScripts();
    const infos = traceFunctionInfos(sink.parse());
    const info = infos.find((f) => f.name === fnName);
    assert.ok(info, `no trace function info for ${fnName}; have ${infos.map((f) => f.name).join(', ')}`);
    // V8 writes script_name as a path, scriptParsed says file:// — both must resolve.
    const byId = await d.scripts.resolveOriginalPosition(info.scriptId, info.line, info.column);
    const byName = await d.scripts.resolveOriginalPosition(info.scriptName, info.line, info.column);
    return { info, byId, byName, urlOfId: d.scripts.urlOf(info.scriptId) };
  } finally {
    await d.dispose();
    assertGone(d.pid);
  }
}

describe('script registry and source maps', () => {
  it('records scriptParsed URLs for the scenario', async () => {
    const d = await startDebuggee(fixture('leaky.cjs'));
    try {
      // None until asked for: the Debugger stays off while the hunt evaluates (prepareDebuggee).
      assert.equal(d.scripts.size, 0);
      await d.announceScripts();
      const url = pathToFileURL(fixture('leaky.cjs')).href;
      assert.ok(d.scripts.size > 10);
      const info = d.scripts.findByUrl(url);
      assert.ok(info, `scenario URL ${url} not registered`);
      assert.equal(d.scripts.urlOf(info.scriptId), url);
      assert.equal(d.scripts.get(Number(info.scriptId))?.url, url, 'numeric ids (as in snapshots) work too');
    } finally {
      await d.dispose();
    }
  });

  for (const variant of ['tsc --sourceMap', 'tsc --inlineSourceMap', 'esbuild bundle'] as const) {
    it(`an allocation in TypeScript compiled by ${variant} resolves to its .ts line`, async () => {
      const dir = tempDir('ts');
      const js =
        variant === 'esbuild bundle'
          ? compileWithEsbuild(dir)
          : compileWithTsc(dir, variant === 'tsc --inlineSourceMap');
      const { info, byId, byName, urlOfId } = await allocationSiteOf(js, 'makeEntry');
      assert.equal(urlOfId, pathToFileURL(js).href);
      assert.ok(byId, `no original position for ${JSON.stringify(info)}`);
      assert.ok(byId.path.endsWith('leaky.ts'), byId.path);
      assert.ok(path.isAbsolute(byId.path), byId.path);
      // V8 names the function's position (its parameter list), on the `function makeEntry` line.
      assert.equal(
        byId.line,
        makeEntryLine,
        `expected leaky.ts:${makeEntryLine}, got ${byId.line} (generated ${info.line})`,
      );
      assert.deepEqual(byName, byId);
    });
  }

  it('maps an arbitrary generated position (1-based in and out) without a debuggee', async () => {
    const dir = tempDir('ts-static');
    const js = compileWithTsc(dir, false);
    const gen = fs.readFileSync(js, 'utf8').split('\n');
    const genLine = gen.findIndex((l) => l.includes('HEAPLENS_TS_ALLOC_LINE')) + 1;
    const genCol = gen[genLine - 1].indexOf('return') + 1;
    const reg = new ScriptRegistry();
    const pos = await reg.resolveOriginalPosition(js, genLine, genCol);
    assert.ok(pos);
    assert.equal(pos.line, allocLine);
    assert.equal(pos.column, tsSource.split('\n')[allocLine - 1].indexOf('return') + 1);
    assert.equal(await reg.resolveOriginalPosition(js, 0, 0), undefined, 'line 0 means unknown');
    assert.equal(
      await reg.resolveOriginalPosition(fixture('leaky.cjs'), 3, 1),
      undefined,
      'no map, no mapping',
    );
  });
});
