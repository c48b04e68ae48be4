// One esbuild call per runtime: the extension host and CLI (CommonJS, Node),
// the analysis worker (its own file, loaded by path), and the webview (browser IIFE).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

// The CLI is two bundles. dist/cli.js leaves out the commands that commands.ts imports when
// they run (the hunt, the CI gate, the MCP server: most of the code), so the snapshot commands
// do not compile them (~10 MB of resident memory at every snapshot size); in its place each
// gets src/cli/fullBundle.ts, which runs the command line in dist/cliFull.js, all of commands.ts.
const LEFT_OUT = /^\.\/(findLeaks|check|mcp)$/;
const leaveOut = {
  name: 'leave-out-full-bundle-commands',
  setup(b) {
    b.onResolve({ filter: LEFT_OUT }, (args) =>
      args.importer.endsWith(`${path.sep}cli${path.sep}commands.ts`)
        ? { path: path.resolve('src/cli/fullBundle.ts') }
        : undefined,
    );
  },
};

const builds = [
  {
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [leaveOut],
  },
  {
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    entryPoints: { cliFull: 'src/cli/commands.ts' },
    outdir: 'dist',
  },
  {
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    entryPoints: {
      analysisWorker: 'src/core/worker/analysisWorker.ts',
      dominatorThread: 'src/core/graph/dominatorThread.ts',
      edgeThread: 'src/core/parse/edgeThread.ts',
      huntWorker: 'src/hunt/huntWorker.ts',
      debugAdapter: 'src/debugAdapter/main.ts',
      harness: 'src/inspector/harness.ts',
      test: 'src/testing/index.ts',
    },
    outdir: 'dist',
  },
  // Preloaded into TypeScript debuggees; esbuild is required at run time (node_modules, or the
  // copy a production build ships in dist/esbuild for the VSIX).
  {
    ...common,
    sourcemap: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild'],
    entryPoints: { tsLoader: 'src/inspector/tsLoader.ts' },
    outdir: 'dist',
  },
];
if (fs.existsSync('src/extension/extension.ts')) {
  builds.push({
    ...common,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
  });
}
if (fs.existsSync('media/src/main.ts')) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    entryPoints: { webview: 'media/src/main.ts' },
    outdir: 'media/dist',
  });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
  if (production) shipEsbuild();
}

/**
 * The VSIX carries no node_modules, so the TypeScript hook gets esbuild's JS API and this
 * platform's esbuild binary beside it (which makes the VSIX platform-specific).
 */
function shipEsbuild() {
  const require = createRequire(import.meta.url);
  const main = require.resolve('esbuild');
  const bin =
    process.env.ESBUILD_BINARY_PATH ||
    require.resolve(`@esbuild/${process.platform}-${process.arch}/bin/esbuild`);
  fs.mkdirSync('dist/esbuild/lib', { recursive: true });
  fs.mkdirSync('dist/esbuild/bin', { recursive: true });
  fs.copyFileSync(main, 'dist/esbuild/lib/main.js');
  fs.copyFileSync(bin, 'dist/esbuild/bin/esbuild');
  fs.chmodSync('dist/esbuild/bin/esbuild', 0o755);
}
