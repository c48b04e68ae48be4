// "Why is this alive?" while paused, against a real debuggee: `node --inspect-brk` stopped at a
// breakpoint, its scopes expanded as VS Code's Variables view does (so V8's inspector holds the
// scope objects and the values shown), then the object asked for through the hunt's own
// whyIsThisAlive. The pause filter (core/pause.ts) must see past the frames and the inspector.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '../../src/inspector/connect';
import { CdpClient, EventParams } from '../../src/inspector/cdp';
import { whyIsThisAlive } from '../../src/hunt/liveHunt';
import { className } from '../../src/core/describe';
import { takeSnapshot } from '../../src/inspector/snapshot';
import { SnapshotParser } from '../../src/core/parser';
import { analyze } from '../../src/core/graph/analysis';
import { AnalysedSnapshot } from '../../src/core/analysedSnapshot';
import { CLI, REPO, tempDir } from '../helpers/snapshots';

const PROGRAM = path.join(REPO, 'test', 'fixtures', 'inspector', 'paused-cache.cjs');
const PAUSE_LINE = 34;

async function pausedDebuggee(): Promise<{ client: CdpClient; callFrameId: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--inspect-brk=127.0.0.1:0', PROGRAM], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stop = (): void => void child.kill('SIGKILL');
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        const m = /ws:\/\/\S+/.exec(err);
        if (m) resolve(m[0]);
      });
      child.on('exit', () => reject(new Error(`debuggee exited: ${err}`)));
    });
    const client = await connect(url);
    await client.send('Runtime.enable');
    await client.send('Debugger.enable', {});
    await client.send('Debugger.setBreakpointByUrl', {
      urlRegex: 'paused-cache\\.cjs$',
      lineNumber: PAUSE_LINE - 1,
    });
    const paused = new Promise<EventParams<'Debugger.paused'>>((resolve) => {
      const off = client.on('Debugger.paused', (p) => {
        if (p.hitBreakpoints?.length) {
          off();
          resolve(p);
        } else void client.send('Debugger.resume', {});
      });
    });
    await client.send('Runtime.runIfWaitingForDebugger');
    const top = (await paused).callFrames[0];
    assert.equal(top.location.lineNumber + 1, PAUSE_LINE);
    // The Variables view: each scope of the top frame, then each object value in it, expanded.
    for (const scope of top.scopeChain) {
      if (!scope.object.objectId || scope.type === 'global') continue;
      const { result } = await client.send('Runtime.getProperties', {
        objectId: scope.object.objectId,
        ownProperties: true,
        generatePreview: true,
      });
      for (const p of result)
        if (p.value?.objectId)
          await client.send('Runtime.getProperties', { objectId: p.value.objectId, ownProperties: true });
    }
    return { client, callFrameId: top.callFrameId, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

test('paused: a Map-held object is drawn through the Map, past the frame and the inspector', async () => {
  const { client, callFrameId, stop } = await pausedDebuggee();
  try {
    // The object only console.log kept (the program dropped it): only the debugger holds it.
    // The hunt drops console entries before its snapshots unless it speaks through VS Code's
    // debugger (whose Debug Console shows them), so this snapshot, taken first, is as VS Code's would be.
    const parser = new SnapshotParser();
    const file = path.join(tempDir(), 'paused.heapsnapshot');
    const out = fs.openSync(file, 'w');
    await takeSnapshot(
      client,
      { write: (chunk) => (parser.write(chunk), fs.writeSync(out, chunk)) },
      { collectGarbage: false },
    );
    fs.closeSync(out);
    const console = new AnalysedSnapshot(analyze(parser.end()));
    const a = console.analysis;
    let logged = -1;
    for (let i = 0; i < a.snapshot.nodeCount && logged < 0; i++) if (className(a, i) === 'Logged') logged = i;
    assert.ok(logged >= 0, 'the logged object is in the snapshot');
    const loggedGraph = console.retainerGraph(a.snapshot.nodeId[logged], { excludeStack: true })!;
    assert.deepEqual(loggedGraph.pause, { heldByStack: false, onlyStack: false, onlyDebugger: true });

    const { id, analysed } = await whyIsThisAlive(client, 'entry', callFrameId);
    const names = (g: { nodes: { name: string }[] }): string => g.nodes.map((n) => n.name).join(', ');

    // Unfiltered, the paused frame and the inspector's handles are among the closest retainers.
    const raw = analysed.retainerGraph(id, { paths: 5 })!;
    assert.match(names(raw), /Stack roots|Global handles/, names(raw));

    const graph = analysed.retainerGraph(id, { paths: 5, excludeStack: true, folded: true })!;
    assert.match(graph.nodes.find((n) => n.target)?.name ?? '', /CacheEntry/);
    assert.ok(
      graph.nodes.some((n) => /^Map\b/.test(n.name)),
      `the Map is drawn: ${names(graph)}`,
    );
    assert.ok(!/Stack roots|Global handles|Handle scope|Debugger/.test(names(graph)), names(graph));
    assert.ok(
      graph.edges.some((e) => /variable `cache`/.test(e.label)),
      graph.edges.map((e) => e.label).join(' | '),
    );
    assert.deepEqual(graph.pause, { heldByStack: true, onlyStack: false });

    // Merged paths of the class (a Summary row's "merged") in the paused panel follow the same
    // tier: through the Map, never the frame or the inspector's handles, unless asked for.
    const merged = analysed.mergedPaths({ id, by: 'class', paused: { withFrames: false } })!;
    assert.equal(merged.targets, 1);
    assert.ok(
      merged.graph.nodes.some((n) => /^Map\b/.test(n.name)),
      `merged through the Map: ${names(merged.graph)}`,
    );
    assert.ok(
      !/Stack roots|Global handles|Handle scope|Debugger/.test(names(merged.graph)),
      names(merged.graph),
    );
    const mergedFrames = analysed.mergedPaths({ id, by: 'class', paused: { withFrames: true } })!;
    assert.ok(
      !mergedFrames.graph.edges.some((e) => /DevTools/.test(e.label)),
      mergedFrames.graph.edges.map((e) => e.label).join(),
    );

    // With the stack paths shown, the frames come back but the inspector's handles stay out.
    const withFrames = analysed.retainerGraph(id, { paths: 8, excludeInspector: true })!;
    assert.match(names(withFrames), /Stack roots/, names(withFrames));
    assert.ok(
      !withFrames.edges.some((e) => /DevTools/.test(e.label)),
      withFrames.edges.map((e) => e.label).join(),
    );

    // The CLI on the same snapshot file: the same answer for the Map-held object.
    const cli = JSON.parse(
      execFileSync(
        process.execPath,
        [CLI, 'retainers', file, '--class', 'CacheEntry', '--exclude-stack', '--json'],
        {
          encoding: 'utf8',
        },
      ),
    ) as { pause: unknown; foldedPaths: { edge: string | null; node: string; label?: string }[][] };
    assert.deepEqual(cli.pause, { heldByStack: true, onlyStack: false });
    const first = cli.foldedPaths[0].map((st) => st.label ?? `${st.edge} → ${st.node}`).join(' / ');
    assert.ok(
      cli.foldedPaths[0].some(
        (st) => st.label === 'variable `cache` of paused-cache.cjs' && /^Map\b/.test(st.node),
      ),
      first,
    );
    assert.ok(!/Stack roots|Global handles|DevTools/.test(JSON.stringify(cli.foldedPaths)), first);

    // A local nothing else keeps: only the running code holds it, and the paths go through the frames.
    const scratch = await whyIsThisAlive(client, 'scratch', callFrameId);
    const scratchGraph = scratch.analysed.retainerGraph(scratch.id, { excludeStack: true })!;
    assert.deepEqual(scratchGraph.pause, { heldByStack: true, onlyStack: true });
    assert.match(names(scratchGraph), /Stack roots/, names(scratchGraph));
    assert.ok(
      !scratchGraph.edges.some((e) => /DevTools/.test(e.label)),
      scratchGraph.edges.map((e) => e.label).join(),
    );
  } finally {
    client.close();
    stop();
  }
});
