// The benchmark inputs: synthetic snapshots from the anchors' generators, made
// once and cached in benchDir.  Every tool must read the very same bytes, so a
// snapshot is never regenerated behind a run's back: files are written under a
// `.partial` name and renamed only when the generator succeeded, and an existing
// file is always reused.
import fs from 'node:fs';
import path from 'node:path';
import { anchor, benchDir, repoRoot } from './paths.mjs';
import { runNode } from './proc.mjs';

// Sizes are the generator's target in MB (it lands within ~2 %: 1500 -> ~1481 MB).
export const DEFAULT_SIZES = ['100', '500', '1500', 'bigstrings', '4g', '8g'];
export const QUICK_SIZES = ['10'];

export function describe(spec) {
  if (spec === 'bigstrings') {
    return {
      spec,
      name: 'bigstrings',
      file: path.join(benchDir, 'bigstrings.heapsnapshot'),
      generator: 'make-bigstrings-snapshot.js',
      genArgs: [],
      label: 'bigstrings (strings section > V8 max string length)',
    };
  }
  const gb = /^(\d+)g$/.exec(spec);
  if (gb) {
    // Past what DevTools' worker can hold (~4x the file) and what V8 can serialize here:
    // written by a streaming generator in constant memory, loaded by Heap Lens alone.
    return {
      spec,
      name: `g${gb[1]}`,
      file: path.join(benchDir, `stream-${gb[1]}g.heapsnapshot`),
      generator: 'stream-snapshot.mjs',
      generatorPath: path.join(repoRoot, 'bench', 'lib', 'stream-snapshot.mjs'),
      genArgs: [String(Number(gb[1]) * 1024)],
      only: ['heaplens'],
      label: `g${gb[1]} (~${gb[1]} GB, bench/lib/stream-snapshot.mjs, Heap Lens alone)`,
    };
  }
  if (!/^\d+$/.test(spec))
    throw new Error(`--sizes: expected MB numbers, "bigstrings" or "4g"-style GB sizes, got "${spec}"`);
  return {
    spec,
    name: `s${spec}`,
    file: path.join(benchDir, `s${spec}.heapsnapshot`),
    generator: 'make-snapshot.js',
    genArgs: [spec],
    label: `s${spec} (~${spec} MB, make-snapshot.js)`,
  };
}

export async function ensureSnapshot(snap, { skipMake, log }) {
  if (fs.existsSync(snap.file)) return { ok: true, made: false };
  if (skipMake) return { ok: false, reason: `missing ${snap.file} (--skip-make)` };
  fs.mkdirSync(benchDir, { recursive: true });
  // keep the .heapsnapshot suffix on the partial file: the generator's calibration
  // temp files are named after it and land next to it
  const partial = snap.file.replace(/\.heapsnapshot$/, '.partial.heapsnapshot');
  log(
    `making ${path.basename(snap.file)} with ${snap.generator} (the 1.5 GB one takes ~2 min and ~8 GB RAM)`,
  );
  const r = await runNode(
    ['--max-old-space-size=16000', snap.generatorPath ?? anchor(snap.generator), partial, ...snap.genArgs],
    { cwd: benchDir, logBase: path.join(benchDir, `make-${snap.name}`) },
  );
  if (!r.ok || !fs.existsSync(partial)) {
    fs.rmSync(partial, { force: true });
    return { ok: false, reason: `generator failed: ${r.reason}` };
  }
  fs.renameSync(partial, snap.file);
  log(
    `made ${snap.file} (${(fs.statSync(snap.file).size / 1048576).toFixed(1)} MB) in ${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.timeV.maxRssMb.toFixed(0)} MB`,
  );
  return { ok: true, made: true };
}

// Read the file once before timing anything so the first tool measured does not
// pay for cold disk reads that the others then get for free.
export async function warmPageCache(file) {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(16 << 20);
    while ((await fh.read(buf, 0, buf.length, null)).bytesRead > 0) {
      /* discard */
    }
  } finally {
    await fh.close();
  }
}
