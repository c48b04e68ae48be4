// The number readers' runs of whole records (parse/numbers.ts forward, parse/edgeTail.ts
// backward) read the usual layouts without the separator states, and leave anything else to
// the general loop. Inputs cut into pieces too small for a run (about 20 bytes, never between
// two digits, so at most 60 with the longest number below: a run needs 20 a field) are read by
// the general loop alone, so they are the oracle: whatever the spacing around the commas, and
// whatever is broken, a whole input gives the same columns, or the same error at the same
// byte, as one cut that small. (Cut inside a number, the general loop finds a number too long
// at the end of the piece where it becomes too long: the same error, at another byte.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SnapshotParser } from '../../src/core/parser';
import { SnapshotError } from '../../src/core/errors';
import { HeapSnapshot } from '../../src/core/snapshot';
import { EdgeTail } from '../../src/core/parse/edgeTail';
import { bytesOf, PARSED_COLUMNS, SHAPES_PROGRAM, snapshotOf } from '../helpers/snapshots';

const SMALL = 20;

/** Where to cut `bytes` into pieces of about `piece` bytes, never between two digits. */
function cuts(bytes: Buffer, piece: number): number[] {
  const digit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;
  const at: number[] = [0];
  for (let p = piece; p < bytes.length; p += piece) {
    while (p < bytes.length && digit(bytes[p - 1]) && digit(bytes[p])) p++;
    if (p < bytes.length) at.push(p);
  }
  at.push(bytes.length);
  return at;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

// Commas with what may stand around them: what V8 writes, what a compact writer does, and
// spacing a run does not take (three bytes, a tab run) so the general loop takes over mid-array.
const SEPARATORS = [',', ',', '\n,', ', ', ' ,', '\r\n,', ',\n', ' , ', '  ,  ', '   ,', ',\t\t\t', '\n,\n'];

/** The shapes snapshot with its number arrays written out again, separators drawn at random. */
function relaid(seed: number): Buffer {
  const json = JSON.parse(fs.readFileSync(snapshotOf('shapes', SHAPES_PROGRAM), 'utf8'));
  const r = rng(seed);
  const list = (a: number[]): string =>
    a.map((v, i) => (i === 0 ? '' : SEPARATORS[Math.floor(r() * SEPARATORS.length)]) + v).join('');
  const text = JSON.stringify({ ...json, nodes: 0, edges: 0, locations: 0 })
    .replace('"nodes":0', `"nodes":[${list(json.nodes)}]`)
    .replace('"edges":0', `"edges":[${list(json.edges)}]`)
    .replace('"locations":0', `"locations":[${list(json.locations)}]`);
  return Buffer.from(text);
}

/** The snapshot, or the error as "code offset: message". */
function parse(bytes: Buffer, piece: number): HeapSnapshot | string {
  const p = new SnapshotParser({ totalBytes: bytes.length });
  try {
    const at = cuts(bytes, piece);
    for (let i = 1; i < at.length; i++) p.write(bytes.subarray(at[i - 1], at[i]));
    return p.end();
  } catch (e) {
    assert.ok(e instanceof SnapshotError, String(e));
    return `${e.code} ${e.offset}: ${e.message}`;
  }
}

function assertSame(whole: HeapSnapshot | string, small: HeapSnapshot | string, what: string): void {
  if (typeof whole === 'string' || typeof small === 'string') {
    assert.equal(whole, small, what);
    return;
  }
  for (const k of [...PARSED_COLUMNS, 'locations'] as const)
    assert.ok(bytesOf(whole[k]).equals(bytesOf(small[k])), `${what}: ${k} differs`);
}

/** `bytes` with `text` put in place of the byte at a random offset inside the array `key`. */
function broken(bytes: Buffer, key: string, r: () => number, text: string): Buffer {
  const from = bytes.indexOf(`"${key}":[`) + key.length + 4;
  const to = bytes.indexOf(']', from);
  const at = from + Math.floor(r() * (to - from));
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(text), bytes.subarray(at + 1)]);
}

const BREAKS = ['9999999999999999', '9'.repeat(40), 'x', ' 7', ',,', '-', '4294967296', '0000', '\u00a0'];

test('forward: any spacing around the commas, and any break, reads as the general loop reads it', () => {
  const r = rng(11);
  for (let seed = 1; seed <= 4; seed++) {
    const bytes = relaid(seed);
    const whole = parse(bytes, bytes.length);
    assert.ok(typeof whole !== 'string', `seed ${seed}: ${String(whole)}`);
    assertSame(whole, parse(bytes, SMALL), `seed ${seed}`);
    for (let k = 0; k < 12; k++) {
      const text = BREAKS[Math.floor(r() * BREAKS.length)];
      const key = ['nodes', 'edges', 'locations'][k % 3];
      const bad = broken(bytes, key, r, text);
      assertSame(
        parse(bad, bad.length),
        parse(bad, SMALL),
        `seed ${seed}, ${JSON.stringify(text)} in ${key}`,
      );
    }
  }
});

/** The edge thread's reader over all of "edges", in blocks of `block` bytes from the end. */
function readBackward(bytes: Buffer, block: number): string {
  const p = new SnapshotParser({ totalBytes: bytes.length, reserveEdges: true });
  const from = bytes.indexOf('"edges":[') + 9;
  p.write(bytes.subarray(0, from));
  const header = p.snapshotHeader!;
  const n = header.edgeCount;
  const columns = {
    edgeType: new Uint8Array(n),
    edgeName: new Uint32Array(n),
    edgeTarget: new Uint32Array(n),
  };
  const end = bytes.indexOf(']', from);
  const tail = new EdgeTail(header, columns, end);
  const at = cuts(bytes, block).filter((p) => p > from && p < end);
  at.unshift(from);
  at.push(end);
  for (let i = at.length - 1; i > 0 && !tail.stopped; i--)
    tail.read(bytes.subarray(at[i - 1], at[i]), at[i - 1]);
  const sums = Object.values(columns).map((c) => bytesOf(c).toString('base64'));
  return JSON.stringify([tail.records, tail.border, tail.maxName, tail.stopped, ...sums]);
}

test('backward: any spacing around the commas, and any break, reads as the general loop reads it', () => {
  const r = rng(12);
  for (let seed = 5; seed <= 8; seed++) {
    const bytes = relaid(seed);
    const whole = readBackward(bytes, bytes.length);
    assert.ok(JSON.parse(whole)[0] > 1000, 'the records are read');
    assert.equal(whole, readBackward(bytes, SMALL), `seed ${seed}`);
    for (let k = 0; k < 12; k++) {
      const text = BREAKS[Math.floor(r() * BREAKS.length)];
      const bad = broken(bytes, 'edges', r, text);
      assert.equal(
        readBackward(bad, bad.length),
        readBackward(bad, SMALL),
        `seed ${seed}, ${JSON.stringify(text)}`,
      );
    }
  }
});
