// Snapshots streamed chunk by chunk into a file, allocation tracking on and off, and
// the V8 quirk that stopping tracking streams one more whole snapshot.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CdpClient,
  SnapshotProgress,
  connect,
  isTracking,
  startTracking,
  stopTracking,
  takeSnapshot,
  withAllocationTracking,
} from '../../src/inspector';
import {
  FileSink,
  Inspectable,
  countObjects,
  fixture,
  rejectsWith,
  spawnInspectable,
  tempDir,
} from './helpers';

describe('heap snapshots over CDP', () => {
  let target: Inspectable;
  let client: CdpClient;
  let dir: string;
  let n = 0;
  const sinkFile = () => new FileSink(path.join(dir, `s${n++}.heapsnapshot`));

  before(async () => {
    dir = tempDir('snap');
    target = await spawnInspectable(fixture('server.cjs'));
    client = await connect(target.wsUrl);
  });
  after(async () => {
    client.close();
    await target.kill();
  });

  const work = (times: number) =>
    client.send('Runtime.evaluate', {
      expression: `(async () => { for (let i = 0; i < ${times}; i++) await heapLensWork(); })()`,
      awaitPromise: true,
    });

  it('streams a complete snapshot in many chunks, with progress, containing the debuggee’s object', async () => {
    const sink = sinkFile();
    const progress: SnapshotProgress[] = [];
    await takeSnapshot(client, sink, { onProgress: (p) => progress.push(p) });
    assert.ok(sink.chunks > 1, `expected several chunks, got ${sink.chunks}`);
    const snap = sink.parse();
    assert.equal(snap.nodes.length / snap.snapshot.meta.node_fields.length, snap.snapshot.node_count);
    assert.equal(countObjects(snap, 'HeapLensMarker'), 1);
    assert.ok(progress.length > 0 && progress[progress.length - 1].finished);
    // V8 reports the walk (objects of the total); the writing is counted in characters received.
    const walk = progress.filter((p) => p.stage === 'walking');
    const write = progress.filter((p) => p.stage === 'writing');
    assert.ok(walk.length > 0 && walk.every((p) => p.total > 0 && p.done <= p.total));
    assert.ok(write.length >= 2 && write.every((p) => p.done <= p.total));
    assert.ok(progress.indexOf(write[0]) > progress.indexOf(walk[walk.length - 1]), 'walking, then writing');
    assert.equal(write[write.length - 1].done, write[write.length - 1].total);
    assert.deepEqual(snap.trace_function_infos, []);
  });

  it('allocation tracking puts allocation stacks in the snapshot; stopTracking turns it off', async () => {
    await startTracking(client);
    assert.ok(isTracking(client));
    await work(5);
    const tracked = sinkFile();
    await takeSnapshot(client, tracked);
    const before = tracked.chunks;
    // Stopping streams a further whole snapshot; none of it may reach the last sink.
    await stopTracking(client);
    assert.equal(tracked.chunks, before);
    assert.ok(!isTracking(client));
    const snap = tracked.parse();
    assert.ok(snap.trace_function_infos.length > 0, 'trace_function_infos is empty');
    assert.ok(snap.trace_tree.length > 0, 'trace_tree is empty');

    const untracked = sinkFile();
    await takeSnapshot(client, untracked);
    const after = untracked.parse();
    assert.deepEqual(after.trace_function_infos, [], 'tracking is still on after stopTracking');
  });

  it('stopTracking can hand its snapshot to a sink instead of discarding it', async () => {
    await startTracking(client);
    await work(2);
    const last = sinkFile();
    await stopTracking(client, { sink: last });
    const snap = last.parse();
    assert.ok(snap.trace_function_infos.length > 0);
    assert.ok(countObjects(snap, 'HeapLensCallLeak') >= 2);
  });

  it('withAllocationTracking stops tracking when the work throws', async () => {
    await assert.rejects(
      withAllocationTracking(client, async () => {
        await work(1);
        throw new Error('work failed');
      }),
      /work failed/,
    );
    assert.ok(!isTracking(client));
    const sink = sinkFile();
    await takeSnapshot(client, sink);
    assert.deepEqual(sink.parse().trace_function_infos, [], 'tracking survived the error path');
  });

  it('a cancelled snapshot rejects at once and its late chunks never reach the next sink', async () => {
    const ac = new AbortController();
    const cancelled = sinkFile();
    const p = takeSnapshot(client, { write: (c) => (cancelled.write(c), ac.abort()) }, { signal: ac.signal });
    await rejectsWith(p, 'CANCELLED', 5000);
    assert.equal(cancelled.chunks, 1);
    cancelled.close();
    const next = sinkFile();
    await takeSnapshot(client, next);
    const snap = next.parse(); // would throw if chunks of the cancelled one were mixed in
    assert.equal(countObjects(snap, 'HeapLensMarker'), 1);
  });

  it('a sink that throws fails the snapshot, not the connection', async () => {
    const p = takeSnapshot(client, {
      write() {
        throw new Error('disk full');
      },
    });
    await assert.rejects(p, /disk full/);
    const sink = sinkFile();
    await takeSnapshot(client, sink);
    assert.equal(countObjects(sink.parse(), 'HeapLensMarker'), 1);
  });

  it('concurrent snapshots are serialized, each sink gets exactly its own snapshot', async () => {
    const a = sinkFile();
    const b = sinkFile();
    await Promise.all([takeSnapshot(client, a), takeSnapshot(client, b)]);
    assert.equal(countObjects(a.parse(), 'HeapLensMarker'), 1);
    assert.equal(countObjects(b.parse(), 'HeapLensMarker'), 1);
  });
});
