// A piped snapshot that is never written (the expression answers without writing, or throws)
// must let its reader go: the reader's open waits for a writer in libuv's thread pool, and one
// left waiting holds a pool thread and keeps the process alive for good. Stop 22's CI run hung
// with every test of a file passed and its process never ending, in a file whose hunts drop
// speculative snapshots this way.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CdpClient, connect } from '../../src/inspector';
import { pipeSnapshot, type PipeWriter } from '../../src/inspector/pipeSnapshot';
import { InspectorError } from '../../src/inspector/errors';
import { fixture, Inspectable, spawnInspectable, waitFor } from './helpers';

/** File-system requests in flight in this process (a stuck FIFO open is one). */
const fsRequests = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSReqCallback').length;

const sink = { write: () => assert.fail('nothing is written') };

describe('a piped snapshot that is never written', () => {
  let target: Inspectable;
  let client: CdpClient;

  before(async () => {
    target = await spawnInspectable(fixture('server.cjs'));
    client = await connect(target.wsUrl);
  });
  after(async () => {
    client.close();
    await target.kill();
  });

  it('answering without writing, or throwing, 60 times: no reader is left waiting for a writer', async () => {
    const skips: PipeWriter = {
      expression: () => 'false',
      wrote: (v) => v === true,
      threw: () => new Error('threw'),
    };
    const throws: PipeWriter = {
      expression: () => '(() => { throw new Error("no snapshot today") })()',
      threw: (d) => new InspectorError('PROTOCOL', d.exception?.description ?? d.text),
    };
    const before = fsRequests();
    for (let i = 0; i < 30; i++) {
      const answer = await pipeSnapshot(client, sink, {}, skips);
      assert.ok(answer, 'this machine has named pipes');
      assert.equal(answer.written, false);
      await assert.rejects(pipeSnapshot(client, sink, {}, throws), /no snapshot today/);
    }
    // A stuck open never ends; a finished one is gone within a turn or two of the loop.
    await waitFor(() => (fsRequests() <= before ? true : undefined), 5000, 'the readers to be let go');
  });
});
