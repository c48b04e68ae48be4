import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAnalysisWorker } from '../../src/core/worker/client';
import type { Progress } from '../../src/contracts/rpc';
import { isRemoteError } from '../../src/contracts/errors';
import { REPO, SHAPES_PROGRAM, snapshotOf, tempDir } from '../helpers/snapshots';

// The tests run the compiled worker next to the compiled client, as the bundle does.
const WORKER = path.join(REPO, 'out', 'src', 'core', 'worker', 'analysisWorker.js');

test('the worker loads a file with progress and answers questions about it', async () => {
  const phases = new Set<string>();
  let lastRead: Progress | null = null;
  const w = startAnalysisWorker((p) => {
    phases.add(p.phase);
    if (p.phase === 'reading') lastRead = p;
  }, WORKER);
  try {
    const file = snapshotOf('shapes', SHAPES_PROGRAM);
    const stats = await w.api.loadFile(file);
    assert.ok(stats.nodeCount > 1000);
    assert.ok(
      phases.has('reading') && phases.has('dominators') && phases.has('distances'),
      [...phases].join(),
    );
    assert.equal(lastRead!.done, fs.statSync(file).size);
    assert.equal(lastRead!.total, fs.statSync(file).size);
    const summary = await w.api.summary(50);
    const book = summary.find((c) => c.name === 'Book');
    assert.ok(book && book.count === 231, `Book count ${book?.count}`);
  } finally {
    await w.dispose();
  }
});

test('the worker takes a stream of string chunks, as CDP delivers them', async () => {
  const w = startAnalysisWorker(undefined, WORKER);
  try {
    const text = fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM), 'utf8');
    const done = w.api.loadStream(text.length);
    for (let at = 0; at < text.length; at += 100_000) w.signal.chunk(text.slice(at, at + 100_000));
    w.signal.end();
    const stats = await done;
    assert.ok(stats.nodeCount > 1000);
  } finally {
    await w.dispose();
  }
});

test('a bad file fails with a typed error, and cancel stops the work at once', async () => {
  const bad = path.join(tempDir(), 'bad.heapsnapshot');
  fs.writeFileSync(bad, '{"snapshot":{"meta":{}}}');
  const w = startAnalysisWorker(undefined, WORKER);
  await assert.rejects(w.api.loadFile(bad), (e: unknown) => isRemoteError(e, 'bad-meta'));
  await w.dispose();

  const w2 = startAnalysisWorker(undefined, WORKER);
  const loading = w2.api.loadFile(snapshotOf('shapes', SHAPES_PROGRAM));
  const rejected = assert.rejects(loading, (e: unknown) => isRemoteError(e, 'cancelled'));
  const t0 = Date.now();
  await w2.cancel();
  await rejected;
  assert.ok(Date.now() - t0 < 2000);
});

test('the workbench tabs computed on demand cross the worker boundary as plain JSON', async () => {
  const w = startAnalysisWorker(undefined, WORKER);
  try {
    await w.api.loadFile(snapshotOf('shapes', SHAPES_PROGRAM));
    const byFile = await w.api.attribution('file');
    assert.equal(byFile.by, 'file');
    assert.equal(
      byFile.rows.reduce((t, r) => t + r.retainedSize, 0),
      byFile.total,
      'every byte charged once',
    );
    assert.ok(
      byFile.rows.some((r) => r.name.endsWith('shapes.js')),
      'the program’s own file owns its Books',
    );
    const waste = await w.api.waste();
    assert.ok(waste.slicedStrings.length + waste.duplicateStrings.length > 0);
    // The 231 Books' shortest paths, merged: the Book step stands for all of them.
    const book = (await w.api.summary(50)).find((c) => c.name === 'Book')!;
    const merged = await w.api.mergedPaths({ id: book.largestId, by: 'class' });
    assert.equal(merged?.targets, 231);
    const members = merged.graph.nodes.filter((n) => n.target && n.name === 'Book');
    assert.equal(
      members.reduce((t, n) => t + (n.count ?? 0), 0) + merged.unreachable,
      231,
      'each Book is in one target step, or unreachable',
    );
    assert.equal(await w.api.mergedPaths({ id: 2 ** 40, by: 'site' }), null, 'an unknown id has no paths');
  } finally {
    await w.dispose();
  }
});
