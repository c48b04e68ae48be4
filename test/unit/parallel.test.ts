// The analysis on two threads (src/core/graph/parallel.ts) gives the very arrays analyze()
// gives on one, whichever way the dominator thread starts: given the graph as soon as
// "edges" is read (a file, a stream), or given a parsed snapshot. Also when the parse fails
// after the thread has started (it must end, or this file would never finish).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadSnapshotFile } from '../../src/core/load';
import { SnapshotParser } from '../../src/core/parser';
import { analyze, HeapAnalysis } from '../../src/core/graph/analysis';
import {
  analyzeParallel,
  DominatorThread,
  loadAndAnalyze,
  startDominatorThread,
} from '../../src/core/graph/parallel';
import { isSnapshotError } from '../../src/core/errors';
import { isOwned } from '../../src/core/graph/essential';
import { SHAPES_PROGRAM, snapshotOf, tempDir } from '../helpers/snapshots';
import { snapshotJson, TestEdge, TestNode } from '../helpers/graphs';

const bytesOf = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const EVERY_NODE = { minNodes: 0 };

// Without the built thread every path below would quietly run on one thread.
test('the dominator thread is built', () => {
  assert.ok(fs.existsSync(path.join(__dirname, '../../src/core/graph/dominatorThread.js')));
});

function assertSameAnalysis(a: HeapAnalysis, b: HeapAnalysis): void {
  for (const k of ['idom', 'retainedSize', 'distance', 'pageOwned', 'essential', 'selfSize'] as const)
    assert.ok(bytesOf(a[k]).equals(bytesOf(b[k])), `${k} differs`);
  for (const k of ['firstRetainer', 'retainerEdge'] as const)
    assert.ok(bytesOf(a.retainers[k]).equals(bytesOf(b.retainers[k])), `retainers.${k} differs`);
}

async function viaStream(file: string): Promise<HeapAnalysis> {
  let thread: DominatorThread | null = null;
  const parser = new SnapshotParser({ onGraph: (g) => void (thread = startDominatorThread(g, EVERY_NODE)) });
  const bytes = fs.readFileSync(file);
  for (let i = 0; i < bytes.length; i += 65536) parser.write(bytes.subarray(i, i + 65536));
  assert.ok(thread, 'the thread starts once "edges" is read');
  return analyzeParallel(parser.end(), { ...EVERY_NODE, thread });
}

test('a real snapshot with WeakMaps: the same arrays on one thread and on two, started any way', async () => {
  const file = snapshotOf('parallel-shapes', SHAPES_PROGRAM);
  const one = analyze(await loadSnapshotFile(file));
  assert.ok(one.weakMapNames.list().names.length >= 30, 'the WeakMap rule has edges to act on');
  assertSameAnalysis(one, await loadAndAnalyze(file, EVERY_NODE));
  assertSameAnalysis(one, await loadAndAnalyze(file, { ...EVERY_NODE, earlyStartBytes: 0 }));
  // Started with the parse, then not worth it: ended, and the analysis runs on one thread.
  assertSameAnalysis(one, await loadAndAnalyze(file, { minNodes: Infinity, earlyStartBytes: 0 }));
  assertSameAnalysis(one, await analyzeParallel(await loadSnapshotFile(file), EVERY_NODE));
  assertSameAnalysis(one, await viaStream(file));
});

test('"edges" read backward on the dominator thread before its graph: the same arrays', async () => {
  const file = snapshotOf('parallel-shapes', SHAPES_PROGRAM);
  const one = analyze(await loadSnapshotFile(file));
  // The thread booted with the load reads the edge thread's part (LoadOptions.edgeHost).
  const twoParses = { splitMinBytes: 0, splitShare: 0.5, chunkSize: 4096, earlyStartBytes: 0 };
  let adopted = 0;
  const a = await loadAndAnalyze(file, { ...EVERY_NODE, ...twoParses, onEdgeThread: (n) => (adopted = n) });
  assert.ok(adopted > 0, 'the dominator thread read part of "edges"');
  assertSameAnalysis(one, a);
  // Not worth the thread once the graph is known: it read its part, then ends.
  assertSameAnalysis(one, await loadAndAnalyze(file, { minNodes: Infinity, ...twoParses }));
});

test('a file of long strings, its size no multiple of 4: the edge job on the dominator thread still helps', async () => {
  // Strings past a quarter of the file have the end of "edges" searched down to a quarter
  // from the end: fileBytes / 4 was a fractional position, the read threw, and on the
  // dominator thread that ended the load (on a worker of its own it only lost the help).
  // Flat strings: V8 writes a padStart result as a short cons string.
  const flat = "Buffer.from(String(i).padStart(1000, 'x')).toString('latin1')";
  const long = snapshotOf(
    'parallel-long-strings',
    `globalThis.keep = Array.from({ length: 6000 }, (_, i) => ${flat});`,
  );
  const file = path.join(tempDir(), 'parallel-long-strings.heapsnapshot');
  const bytes = fs.readFileSync(long);
  fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from('\n'.repeat(4 - (bytes.length % 4) + 1))]));
  assert.ok(fs.statSync(file).size % 4 !== 0 && fs.statSync(file).size > 4 << 20);
  const one = analyze(await loadSnapshotFile(file));
  let adopted = 0;
  const a = await loadAndAnalyze(file, {
    ...EVERY_NODE,
    splitMinBytes: 0,
    earlyStartBytes: 0,
    onEdgeThread: (n) => (adopted = n),
  });
  assertSameAnalysis(one, a);
  assert.ok(adopted > 0, 'the dominator thread read part of "edges"');
});

test('DOM tree roots, known only with the strings, extend what the thread marked as page-owned', async () => {
  // (Document DOM trees) owns X; a system object S also points at X. Only once X counts as
  // page-owned does S→X stop counting, so S no longer dominates Y below X.
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    { type: 'object', name: 'Window', size: 10 },
    { type: 'synthetic', name: '(Document DOM trees)', size: 0 },
    { type: 'synthetic', name: '(GC roots)', size: 0 },
    { type: 'object', name: 'S', size: 20 },
    { type: 'object', name: 'X', size: 30 },
    { type: 'object', name: 'Y', size: 40 },
  ];
  const edges: TestEdge[] = [
    { from: 0, to: 1, type: 'shortcut', name: 'global' },
    { from: 0, to: 2, type: 'element', name: 1 },
    { from: 0, to: 3, type: 'element', name: 2 },
    { from: 2, to: 5, type: 'element', name: 1 },
    { from: 3, to: 4, type: 'element', name: 1 },
    { from: 4, to: 5, type: 'property', name: 'x' },
    { from: 5, to: 6, type: 'property', name: 'y' },
  ];
  const file = path.join(tempDir(), 'parallel-dom.heapsnapshot');
  fs.writeFileSync(file, snapshotJson(nodes, edges));
  const one = analyze(await loadSnapshotFile(file));
  assert.ok(isOwned(one.pageOwned, 5), 'X is page-owned through the DOM trees');
  assertSameAnalysis(one, await loadAndAnalyze(file, EVERY_NODE));
});

test('a parse that fails after the thread started fails as on one thread, and ends the thread', async () => {
  const whole = fs.readFileSync(snapshotOf('parallel-shapes', SHAPES_PROGRAM));
  const strings = whole.lastIndexOf('"strings"');
  const cut = path.join(tempDir(), 'parallel-cut.heapsnapshot');
  fs.writeFileSync(cut, whole.subarray(0, strings + 200));
  let started = false;
  await assert.rejects(
    loadAndAnalyze(cut, { ...EVERY_NODE, onGraph: () => (started = true) }),
    (e: unknown) => isSnapshotError(e) && e.code === 'truncated',
  );
  assert.ok(started, 'the thread had started');
  // And when the thread read part of "edges" first.
  await assert.rejects(
    loadAndAnalyze(cut, { ...EVERY_NODE, splitMinBytes: 0, chunkSize: 4096, earlyStartBytes: 0 }),
    (e: unknown) => isSnapshotError(e) && e.code === 'truncated',
  );
});
