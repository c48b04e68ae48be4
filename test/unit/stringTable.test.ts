// The string table is UTF-8 bytes decoded on access: every entry must read back exactly as
// JSON.parse reads the same bytes (escapes, surrogate pairs and lone surrogates, raw UTF-8,
// invalid bytes), however the input is cut into chunks, and comparisons must agree with it.

import test from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotParser } from '../../src/core/parser';
import { StringTable } from '../../src/core/stringTable';

const META = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
  node_types: [['synthetic'], 'string', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [['property'], 'string_or_number', 'node'],
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** One JSON string literal's bytes, built from random pieces of every kind. */
function randomLiteral(random: () => number): Buffer {
  const pieces: Buffer[] = [Buffer.from('"')];
  const n = Math.floor(random() * 8);
  const hex = (u: number): string => `\\u${u.toString(16).padStart(4, '0')}`;
  for (let i = 0; i < n; i++) {
    const kind = Math.floor(random() * 12);
    const pick = (list: string[]): string => list[Math.floor(random() * list.length)];
    let text: string | Buffer;
    if (kind === 0) text = 'plain ascii';
    else if (kind === 1) text = pick(['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t']);
    else if (kind === 2)
      text = hex(Math.floor(random() * 0xd800)); // BMP below the surrogates
    else if (kind === 3) text = hex(0xe000 + Math.floor(random() * 0x2000));
    else if (kind === 4)
      text = hex(0xd83d) + hex(0xde00); // a pair: one character
    else if (kind === 5)
      text = hex(0xd800 + Math.floor(random() * 0x400)); // lone high
    else if (kind === 6)
      text = hex(0xdc00 + Math.floor(random() * 0x400)); // lone low
    else if (kind === 7)
      text = Buffer.from('café ✓ 😀', 'utf8'); // raw UTF-8
    else if (kind === 8)
      text = Buffer.from([0xed, 0xa0, 0x80]); // WTF-8 surrogate, as V8 writes one
    else if (kind === 9) text = Buffer.from([pick(['\xe2', '\xf0', '\xc3', '\x80', '\xff']).charCodeAt(0)]);
    else if (kind === 10)
      text = hex(Math.floor(random() * 32)); // control characters
    else text = '';
    pieces.push(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  }
  pieces.push(Buffer.from('"'));
  return Buffer.concat(pieces);
}

function snapshotBytes(literals: Buffer[]): Buffer {
  const head = `{"snapshot":{"meta":${JSON.stringify(META)},"node_count":1,"edge_count":0},"nodes":[0,0,1,0,0],"edges":[],"strings":[`;
  const parts: Buffer[] = [Buffer.from(head)];
  literals.forEach((l, i) => parts.push(...(i ? [Buffer.from(','), l] : [l])));
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

test('every entry reads back as JSON.parse reads it, cut anywhere, and compares as it reads', () => {
  const random = rng(12);
  let odd = 0;
  let invalid = 0;
  for (let round = 0; round < 40; round++) {
    const literals = Array.from({ length: 60 }, () => randomLiteral(random));
    const bytes = snapshotBytes(literals);
    const expected: string[] = JSON.parse(bytes.toString('utf8')).strings;
    const whole = new SnapshotParser({ totalBytes: bytes.length });
    whole.write(bytes);
    const cut = new SnapshotParser(); // no size: the table grows as it goes
    for (let at = 0; at < bytes.length;) {
      const n = 1 + Math.floor(random() * 9);
      cut.write(bytes.subarray(at, at + n));
      at += n;
    }
    for (const s of [whole.end(), cut.end()]) {
      const t = s.strings;
      assert.equal(t.length, expected.length);
      assert.deepEqual(t.toArray(), expected);
      for (let i = 0; i < expected.length; i++) {
        assert.ok(t.equals(i, expected[i]), `entry ${i} equals its text`);
        assert.ok(!t.equals(i, expected[i] + 'x'));
        if (expected[i].length > 0) assert.ok(!t.equals(i, expected[i].slice(1)));
        assert.equal(t.indexOf(expected[i]), expected.indexOf(expected[i]));
        if (Buffer.from(expected[i]).toString() !== expected[i]) odd++;
        if (expected[i].includes('\ufffd')) invalid++;
      }
    }
  }
  // The rounds did meet the hard cases.
  assert.ok(odd > 100, `${odd} entries with a lone surrogate`);
  assert.ok(invalid > 100, `${invalid} entries with invalid UTF-8`);
});

test('a table made from JS strings keeps them exactly, lone surrogates included', () => {
  const strings = ['', '(root)', 'caf\u00e9', '\ud83d\ude00', 'lone \ud800 high', '\udc00', 'x'.repeat(300)];
  const t = StringTable.from(strings);
  assert.deepEqual(t.toArray(), strings);
  // twice: the second read comes from the cache
  assert.deepEqual(t.toArray(), strings);
  strings.forEach((x, i) => assert.ok(t.equals(i, x)));
  assert.equal(t.indexOf('lone \ud800 high'), 4);
  assert.equal(t.indexOf('lone \ud801 high'), -1);
  assert.equal(t.indexOf(''), 0);
  assert.equal(t.get(strings.length), '');
  assert.equal(t.get(-1), '');
  assert.ok(!t.equals(strings.length, ''));
  assert.equal(t.byteAt(1, 0), 40); // "("
  assert.equal(t.byteAt(1, -1), 41); // ")"
  assert.equal(t.byteAt(2, -1), 0xa9); // the last byte of é
  assert.equal(t.byteAt(1, 6), -1);
  assert.equal(t.byteAt(0, 0), -1); // empty
  assert.equal(t.byteAt(4, 0), -1); // odd: no bytes
});
