// A time-boxed fuzz run (about 45 s; HEAPLENS_FUZZ_MS to change) over mutated real snapshots:
// byte flips, cuts, duplicated and swapped spans, huge numbers, deep nesting, invalid UTF-8,
// hostile strings (control bytes, bidi overrides, WeakMap-shaped edge names) in the string
// table. Every input must end in a SnapshotError or a snapshot that analyses, each within a
// bound, whatever the chunk size. A failing input is written next to the test's temp files
// and its seed printed, so it can join the regression corpus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SnapshotParser } from '../../src/core/parser';
import { SnapshotError } from '../../src/core/errors';
import { analyze } from '../../src/core/graph/analysis';
import { snapshotOf, tempDir } from '../helpers/snapshots';

const BUDGET_MS = Number(process.env.HEAPLENS_FUZZ_MS ?? 45_000);
const PER_INPUT_MS = 5_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const HOSTILE = [
  '\u001b[2J\u001b[H',
  '\u202egpj.exe',
  '\u0000',
  '\\u0000',
  '\\ud800',
  '\ufeff',
  '1 / part of key (' + ' @1) -> value ('.repeat(2000) + 'x',
  '1 / part of key (a @1) -> value (b @2) pair in WeakMap (table @3)',
  '9'.repeat(40),
  '[[[[[[[[[[',
  '{"a":'.repeat(200),
];

function mutate(bytes: Buffer, r: () => number): Buffer {
  const pick = (n: number): number => Math.floor(r() * n);
  const m = Buffer.from(bytes);
  switch (pick(7)) {
    case 0: {
      // flips
      for (let k = 1 + pick(8); k > 0; k--) m[pick(m.length)] = pick(256);
      return m;
    }
    case 1: // cut
      return m.subarray(0, pick(m.length));
    case 2: {
      // a span repeated
      const at = pick(m.length);
      const len = 1 + pick(200);
      return Buffer.concat([m.subarray(0, at + len), m.subarray(at, at + len), m.subarray(at)]);
    }
    case 3: {
      // two spans swapped
      const a = pick(m.length);
      const b = pick(m.length);
      const [x, y] = a < b ? [a, b] : [b, a];
      const len = Math.min(1 + pick(100), y - x);
      return Buffer.concat([
        m.subarray(0, x),
        m.subarray(y, y + len),
        m.subarray(x + len, y),
        m.subarray(x, x + len),
        m.subarray(y + len),
      ]);
    }
    case 4: {
      // a huge or odd number where a number was
      let at = pick(m.length);
      while (at < m.length && (m[at] < 48 || m[at] > 57)) at++;
      const odd = ['99999999999999999999', '4294967296', '-1', '1e9', '0.5', ''][pick(6)];
      return Buffer.concat([m.subarray(0, at), Buffer.from(odd), m.subarray(at + 1)]);
    }
    case 5: {
      // invalid UTF-8 inside the strings
      const at = m.indexOf('"strings"') + 12 + pick(1000);
      return Buffer.concat([m.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff, 0xe2, 0x82]), m.subarray(at)]);
    }
    default: {
      // a hostile string in the table (valid JSON)
      const at = m.indexOf('"strings":[') + 11;
      return Buffer.concat([
        m.subarray(0, at),
        Buffer.from(JSON.stringify(HOSTILE[pick(HOSTILE.length)]) + ','),
        m.subarray(at),
      ]);
    }
  }
}

/** 'error' or 'ok'; throws anything that is not a SnapshotError. */
function outcome(input: Buffer, chunk: number): string {
  const p = new SnapshotParser({ totalBytes: input.length });
  try {
    for (let at = 0; at < input.length; at += chunk) p.write(input.subarray(at, at + chunk));
    analyze(p.end());
    return 'ok';
  } catch (e) {
    if (e instanceof SnapshotError) return `error:${e.code}`;
    throw e;
  }
}

test(
  `fuzz: mutated real snapshots end in a typed error or a clean analysis (${BUDGET_MS} ms)`,
  { timeout: BUDGET_MS + 60_000 },
  () => {
    const bases = [
      fs.readFileSync(
        snapshotOf(
          'fuzz-small',
          `globalThis.keep = Array.from({ length: 40 }, (_, i) => ({ i, s: 'v' + i }));`,
        ),
      ),
      fs.readFileSync(
        snapshotOf(
          'fuzz-weak',
          `const w = new WeakMap(); globalThis.k = []; for (let i = 0; i < 30; i++) { const o = {}; k.push(o); w.set(o, [i]); } globalThis.w = w;`,
        ),
      ),
    ];
    const seed = Number(process.env.HEAPLENS_FUZZ_SEED ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const started = Date.now();
    const seen = new Map<string, number>();
    let runs = 0;
    while (Date.now() - started < BUDGET_MS) {
      const input = mutate(bases[runs % bases.length], r);
      const chunk = [1 << 16, 4096, 997, 1 << 20][runs % 4];
      const t0 = Date.now();
      let result: string;
      try {
        result = outcome(input, chunk);
      } catch (e) {
        const file = path.join(tempDir(), `fuzz-${seed}-${runs}.heapsnapshot`);
        fs.writeFileSync(file, input);
        throw new Error(`seed ${seed}, run ${runs} (${file}): not a SnapshotError: ${(e as Error).stack}`, {
          cause: e,
        });
      }
      const ms = Date.now() - t0;
      assert.ok(ms < PER_INPUT_MS, `seed ${seed}, run ${runs}: ${ms} ms for one input`);
      seen.set(result, (seen.get(result) ?? 0) + 1);
      runs++;
    }
    console.log(
      `# fuzz seed ${seed}: ${runs} inputs in ${Date.now() - started} ms: ${[...seen].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    // Enough inputs ran, and both outcomes occurred, so the run tested something.
    assert.ok(runs >= Math.min(100, BUDGET_MS / 1000), `${runs} inputs`);
    assert.ok(seen.get('ok'), 'some mutations still parse');
    assert.ok(
      [...seen.keys()].some((k) => k.startsWith('error:')),
      'some mutations are refused',
    );
  },
);
