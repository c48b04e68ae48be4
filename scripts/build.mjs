// One esbuild call per runtime: the extension host and CLI (CommonJS, Node),
// the analysis worker (its own file, loaded by path), and the webview (browser IIFE).
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

const builds = [
  { ...common, platform: 'node', format: 'cjs', target: 'node20', entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'node', format: 'cjs', target: 'node20', entryPoints: { analysisWorker: 'src/core/worker/analysisWorker.ts', dominatorThread: 'src/core/graph/dominatorThread.ts', huntWorker: 'src/hunt/huntWorker.ts', debugAdapter: 'src/debugAdapter/main.ts', harness: 'src/inspector/harness.ts' },
    outdir: 'dist' },
];
if (fs.existsSync('src/extension/extension.ts')) {
  builds.push({ ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'],
    entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' });
}
if (fs.existsSync('media/src/main.ts')) {
  builds.push({ ...common, platform: 'browser', format: 'iife', target: 'chrome120',
    entryPoints: { webview: 'media/src/main.ts' }, outdir: 'media/dist' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
}
