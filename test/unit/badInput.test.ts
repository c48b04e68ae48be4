// Every malformed input must end in a SnapshotError that names the problem and a byte
// offset inside the input: never another exception, a hang, or unbounded memory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SnapshotParser } from '../../src/core/parser';
import { SnapshotError } from '../../src/core/errors';
import { analyze } from '../../src/core/graph/analysis';
import { snapshotOf } from '../helpers/snapshots';

const SMALL = `globalThis.keep = Array.from({ length: 50 }, (_, i) => ({ i, s: 'v' + i }));`;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Parses in 64 KB chunks; returns the error, or null when the input was accepted. */
function outcome(input: Buffer): SnapshotError | null {
  const p = new SnapshotParser({ totalBytes: input.length });
  try {
    for (let at = 0; at < input.length; at += 65536) p.write(input.subarray(at, at + 65536));
    const s = p.end();
    // Accepted input must also be analysable without throwing.
    analyze(s);
    return null;
  } catch (e) {
    if (!(e instanceof SnapshotError))
      throw new Error(`not a SnapshotError: ${(e as Error).stack}`, { cause: e });
    return e;
  }
}

function assertTypedError(input: Buffer, label: string, code?: string): SnapshotError {
  const e = outcome(input);
  assert.ok(e, `${label}: accepted, but should fail`);
  assert.ok(e.offset >= -1 && e.offset <= input.length, `${label}: offset ${e.offset} outside the input`);
  assert.ok(e.message.length > 10, `${label}: the message says what is wrong`);
  if (code) assert.equal(e.code, code, `${label}: ${e.message}`);
  return e;
}

test('truncation at any point is reported as truncated, with the offset of the end', () => {
  const bytes = fs.readFileSync(snapshotOf('small', SMALL));
  const cuts = new Set<number>();
  for (let i = 1; i < 1500; i++) cuts.add(i); // all through the header
  const r = rng(1);
  for (let i = 0; i < 150; i++) cuts.add(1 + Math.floor(r() * (bytes.length - 1)));
  for (const key of ['"nodes"', '"edges"', '"strings"', '"locations"', '"samples"']) {
    const at = bytes.indexOf(key);
    for (let d = -3; d < 12; d++) cuts.add(at + d);
  }
  cuts.add(bytes.length - 1);
  for (const cut of cuts) {
    const e = assertTypedError(bytes.subarray(0, cut), `cut at ${cut}`);
    assert.ok(
      ['truncated', 'count-mismatch', 'syntax', 'not-a-snapshot'].includes(e.code),
      `cut at ${cut}: ${e.code} ${e.message}`,
    );
    if (e.code === 'truncated') assert.equal(e.offset, cut);
  }
});

test('random byte mutations never crash, hang or leak another exception', () => {
  const bytes = fs.readFileSync(snapshotOf('small', SMALL));
  const r = rng(2);
  const junk = Buffer.from('{}[]",:\\u0-9aZ \n\x00\xff');
  for (let i = 0; i < 150; i++) {
    const m = Buffer.from(bytes);
    const edits = 1 + Math.floor(r() * 4);
    for (let k = 0; k < edits; k++) m[Math.floor(r() * m.length)] = junk[Math.floor(r() * junk.length)];
    const t0 = Date.now();
    outcome(m); // either accepted-and-analysable or a SnapshotError; anything else throws
    assert.ok(Date.now() - t0 < 10_000, 'bounded time');
  }
  // Deleting a run of bytes, or inserting junk in the middle.
  for (let i = 0; i < 60; i++) {
    const at = Math.floor(r() * bytes.length);
    const cut = Buffer.concat([
      bytes.subarray(0, at),
      bytes.subarray(Math.min(bytes.length, at + 1 + Math.floor(r() * 50))),
    ]);
    outcome(cut);
    outcome(Buffer.concat([bytes.subarray(0, at), Buffer.from('"]}{,x'), bytes.subarray(at)]));
  }
});

test('empty input, other JSON and broken meta get their own codes', () => {
  assertTypedError(Buffer.alloc(0), 'empty', 'empty');
  assertTypedError(Buffer.from('   \n'), 'blank', 'truncated');
  assertTypedError(Buffer.from('[1,2,3]'), 'an array', 'not-a-snapshot');
  assertTypedError(Buffer.from('"text"'), 'a string', 'not-a-snapshot');
  assertTypedError(Buffer.from('{}'), 'an empty object', 'not-a-snapshot');
  assertTypedError(Buffer.from('{"name":"package","version":"1.0.0"}'), 'a package.json', 'not-a-snapshot');
  assertTypedError(Buffer.from('{"snapshot":{"node_count":1,"edge_count":0}}'), 'no meta', 'bad-meta');
  assertTypedError(Buffer.from('{"snapshot":1}'), 'snapshot not an object', 'bad-meta');
  assertTypedError(Buffer.from('{"nodes":[1,2,3]}'), 'nodes before header', 'bad-meta');
  assertTypedError(Buffer.from('\x89PNG\r\n\x1a\n'), 'binary', 'not-a-snapshot');
});

test('contradictory counts and out-of-range indexes are caught', () => {
  const text = fs.readFileSync(snapshotOf('small', SMALL), 'utf8');
  const json = JSON.parse(text);
  const variant = (f: (j: any) => void): Buffer => {
    const j = structuredClone(json);
    f(j);
    return Buffer.from(JSON.stringify(j));
  };
  assertTypedError(
    variant((j) => {
      j.snapshot.node_count += 1;
    }),
    'node_count too high',
    'count-mismatch',
  );
  assertTypedError(
    variant((j) => {
      j.snapshot.node_count -= 1;
    }),
    'node_count too low',
    'count-mismatch',
  );
  assertTypedError(
    variant((j) => {
      j.snapshot.edge_count += 5;
    }),
    'edge_count wrong',
    'count-mismatch',
  );
  assertTypedError(
    variant((j) => {
      j.edges[2] = 7 * 10_000_000;
    }),
    'edge past the nodes',
    'out-of-range',
  );
  assertTypedError(
    variant((j) => {
      j.edges[5] = 3;
    }),
    'edge not on a node boundary',
    'out-of-range',
  );
  assertTypedError(
    variant((j) => {
      j.nodes[1] = j.strings.length + 10;
    }),
    'name past the strings',
    'out-of-range',
  );
  assertTypedError(
    variant((j) => {
      j.nodes[0] = 200;
    }),
    'unknown node type',
    'out-of-range',
  );
  assertTypedError(
    variant((j) => {
      j.snapshot.meta.node_fields = ['type', 'name'];
    }),
    'fields missing',
    'bad-meta',
  );
  assertTypedError(
    variant((j) => {
      j.snapshot.meta.node_fields.push('id');
    }),
    'field named twice',
    'bad-meta',
  );
  assertTypedError(
    variant((j) => {
      j.snapshot.root_index = 5;
    }),
    'root not a node',
    'bad-meta',
  );
  assertTypedError(
    variant((j) => {
      j.nodes.push(1);
    }),
    'a record cut short',
    'count-mismatch',
  );
  assertTypedError(
    variant((j) => {
      j.nodes[3] = -1;
    }),
    'a negative number',
    'syntax',
  );
  assertTypedError(
    variant((j) => {
      j.nodes[3] = 1.5;
    }),
    'a fraction',
    'syntax',
  );
  assertTypedError(
    variant((j) => {
      delete j.strings;
    }),
    'no strings',
    'not-a-snapshot',
  );
});

test('a header that claims billions of nodes cannot make the parser reserve memory for them', () => {
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
    node_types: [['synthetic'], 'string', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['weak'], 'string_or_number', 'node'],
  };
  const input = Buffer.from(
    `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":4000000000,"edge_count":4000000000},"nodes":[0,0,1,0,0]}`,
  );
  const before = process.memoryUsage().arrayBuffers;
  const e = assertTypedError(input, 'lying header');
  assert.ok(['count-mismatch', 'bad-meta'].includes(e.code), e.message);
  assert.ok(process.memoryUsage().arrayBuffers - before < 256 << 20);
});
