#!/usr/bin/env node
// The parity test's reference: Chrome DevTools' own heap-snapshot worker code
// (HeapSnapshotLoader, JSHeapSnapshot, SecondaryInitManager from the pinned npm package
// chrome-devtools-frontend, installed by scripts/test-deps.mjs) run in Node on one file, and a
// dump of what it computed at load for every node.
//
//   node test/oracles/devtools-oracle.mjs FILE.heapsnapshot --dump OUT.tsv
//
// OUT.tsv: `node_id self_size retained_size distance`, one row per node in snapshot order. The
// self size is the one DevTools shows (after its shallow-size reassignment), the distance is
// its nodeDistances[] (system-only nodes at 100000000 + depth, unreachable -5).
//
// Plain .mjs, not TypeScript compiled to CommonJS: DevTools' code has top-level await, so its
// bundle must be an ES module, and tsc's CommonJS output would turn import() into require().
//
// Nothing of the heap math is touched. Running it outside a browser takes three things:
//   - a bundle: the package ships TypeScript sources, so esbuild (our own devDependency) bundles
//     the worker's entry files once into the cache folder;
//   - an i18n module: DevTools' real one imports generated locale files that are not published;
//     the worker only uses it to serialise progress messages, which nobody reads here;
//   - the second worker: in Chrome, dominators and retained sizes are computed in a second web
//     worker reached through a MessagePort. Here it is a worker_threads Worker running this file,
//     reached through a MessageChannel port (an EventTarget with postMessage, as DevTools needs).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, MessageChannel, Worker, workerData } from 'node:worker_threads';
import { anchorsCache, DEVTOOLS_PACKAGE, DEVTOOLS_VERSION } from '../../scripts/test-deps.mjs';

const self = fileURLToPath(import.meta.url);

// Node 20 has no Promise.withResolvers; DevTools' loader and second worker use it.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const I18N_STANDIN = `export const i18n = {
  serializeUIString: (string, values = {}) => JSON.stringify({ string, values }),
  registerUIStrings: (file) => file,
  getLocalizedString: (_strings, id) => id,
  getLazilyComputedLocalizedString: (_strings, id) => () => id,
  lockedString: (s) => s,
  lockedLazyString: (s) => () => s,
};`;

/** The bundled worker code, built on first use (about a second) and kept in the cache folder. */
async function workerBundle() {
  const cache = anchorsCache();
  const pkgDir = path.join(cache, 'node_modules', DEVTOOLS_PACKAGE);
  let version = null;
  try {
    version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    /* missing */
  }
  if (version !== DEVTOOLS_VERSION) {
    throw new Error(
      `${DEVTOOLS_PACKAGE}@${DEVTOOLS_VERSION} is not installed in ${cache} (found ${version ?? 'nothing'}): ` +
        'run node scripts/test-deps.mjs (npm test does it first), or set HEAPLENS_ANCHORS_CACHE',
    );
  }
  // Rebuilt when this file changes, since the bundle's entry is written here.
  const stamp = fs.statSync(self).mtimeMs.toFixed(0);
  const out = path.join(cache, `devtools-heap-worker-${version}-${stamp}.mjs`);
  if (fs.existsSync(out)) return out;

  const esbuild = createRequire(self)('esbuild');
  const entryDir = path.join(pkgDir, 'front_end', 'entrypoints', 'heap_snapshot_worker');
  const tmp = `${out}.${process.pid}.tmp.mjs`;
  await esbuild.build({
    stdin: {
      contents:
        "export { HeapSnapshotLoader } from './HeapSnapshotLoader.ts';\n" +
        "export { SecondaryInitManager } from './HeapSnapshot.ts';\n",
      resolveDir: entryDir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    logLevel: 'error',
    plugins: [
      {
        name: 'i18n-standin',
        setup(build) {
          build.onResolve({ filter: /[/\\]i18n\.js$/ }, () => ({
            path: 'i18n',
            namespace: 'heaplens-standin',
          }));
          build.onLoad({ filter: /.*/, namespace: 'heaplens-standin' }, () => ({
            contents: I18N_STANDIN,
            loader: 'js',
          }));
        },
      },
    ],
  });
  // Renamed into place, so a concurrent run never imports a half-written file.
  fs.renameSync(tmp, out);
  return out;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dump: { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.dump) {
    console.error('usage: node test/oracles/devtools-oracle.mjs FILE.heapsnapshot --dump OUT.tsv');
    process.exit(2);
  }
  const bundle = await workerBundle();
  const devtools = await import(pathToFileURL(bundle).href);

  const { port1, port2 } = new MessageChannel();
  const second = new Worker(self, { workerData: { bundle, port: port2 }, transferList: [port2] });
  second.on('error', (e) => {
    console.error('DevTools second worker failed:', e);
    process.exit(1);
  });

  const loader = new devtools.HeapSnapshotLoader({
    sendEvent() {
      /* progress: unused */
    },
  });
  const t0 = performance.now();
  // DevTools reads files in 10 MB text chunks; yielding after each lets the loader drain them.
  for await (const chunk of fs.createReadStream(positionals[0], {
    encoding: 'utf8',
    highWaterMark: 10_000_000,
  })) {
    loader.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  loader.close();
  const snapshot = await loader.buildSnapshot(port1);
  const loadMs = performance.now() - t0;
  port1.close();
  await second.terminate();

  const { nodes, nodeCount, nodeFieldCount, nodeIdOffset, nodeSelfSizeOffset, retainedSizes, nodeDistances } =
    snapshot;
  const fd = fs.openSync(values.dump, 'w');
  let text = 'node_id\tself_size\tretained_size\tdistance\n';
  for (let i = 0; i < nodeCount; i++) {
    const at = i * nodeFieldCount;
    text += `${nodes.getValue(at + nodeIdOffset)}\t${nodes.getValue(at + nodeSelfSizeOffset)}\t${retainedSizes[i]}\t${nodeDistances[i]}\n`;
    if (text.length > 1 << 22) {
      fs.writeSync(fd, text);
      text = '';
    }
  }
  fs.writeSync(fd, text);
  fs.closeSync(fd);
  console.log(`${DEVTOOLS_PACKAGE}@${DEVTOOLS_VERSION}: ${nodeCount} nodes, load ${loadMs.toFixed(0)} ms`);
}

if (isMainThread) {
  await main();
} else {
  const devtools = await import(pathToFileURL(workerData.bundle).href);
  new devtools.SecondaryInitManager(workerData.port);
}
