// A copy of a snapshot that can be shared: the same file byte for byte except the sections
// that carry the program's data. What is kept and what is replaced (the CLI's --help and the
// README say the same):
// - kept: every node and edge (types, ids, self sizes, edge targets: the graph and every
//   retained size are unchanged), class and constructor names, function names, property and
//   variable names (including the keys of objects used as dictionaries: V8 stores them as
//   property names), internal names (`system / Map`), script URLs, numbers (heap numbers
//   are written as their value), allocation stacks;
// - replaced: the content of every string value (plain, concatenated and sliced strings, so
//   Map keys, object values and script source texts too) and every RegExp's source, by
//   `redacted#N` (N is the string's index in the table, so equal strings stay equal and
//   different ones stay different);
// - with `positions`: also the line and column of every source position (closure and
//   constructor locations, allocation-stack frames) are set to 0.
// Only the `strings` section (and with `positions`, `locations` and `trace_function_infos`)
// is rewritten: the rest of the file is streamed through unchanged, so a 2 GB snapshot is
// never held as text.

import fs from 'node:fs';
import { loadSnapshotFile } from '../load';
import { HeapSnapshot } from '../snapshot';
import { SnapshotError } from '../errors';

export interface RedactOptions {
  positions?: boolean;
}

export interface RedactResult {
  stringsReplaced: number;
  stringsKept: number;
  positionsCleared: number;
}

/** String-table indices that hold program data (values), not structure (names). */
export function valueStrings(s: HeapSnapshot): Uint8Array {
  const mark = new Uint8Array(s.strings.length);
  const value = new Set(
    ['string', 'concatenated string', 'sliced string', 'regexp'].map((t) => s.nodeTypeIndex(t)),
  );
  for (let i = 0; i < s.nodeCount; i++) if (value.has(s.nodeType[i])) mark[s.nodeName[i]] = 1;
  // A string that is also a name somewhere (a class, a property, a function) is structure.
  for (let i = 0; i < s.nodeCount; i++) if (!value.has(s.nodeType[i])) mark[s.nodeName[i]] = 0;
  for (let e = 0; e < s.edgeCount; e++) if (s.edgeHasStringName(e)) mark[s.edgeNameOrIndex[e]] = 0;
  return mark;
}

export async function redactSnapshot(
  input: string,
  output: string,
  options: RedactOptions = {},
): Promise<RedactResult> {
  const s = await loadSnapshotFile(input);
  const mark = valueStrings(s);
  let replaced = 0;
  for (let i = 0; i < mark.length; i++) replaced += mark[i];
  const sections = new Map<string, () => Iterable<string>>([['strings', () => stringsSection(s, mark)]]);
  let cleared = 0;
  if (options.positions) {
    const lf = s.meta.locationFields;
    // The parser turned each location's node offset into a node ordinal: the file has offsets.
    const nodeWidth = s.meta.nodeFields.length;
    const objectIndex = lf.indexOf('object_index');
    const locations = Float64Array.from(s.locations, (v, i) =>
      i % lf.length === objectIndex ? v * nodeWidth : v,
    );
    sections.set('locations', () =>
      numbersSection(locations, lf.length, [lf.indexOf('line'), lf.indexOf('column')], () => cleared++),
    );
    if (s.traces) {
      const ff = s.traces.functionInfoFields;
      sections.set('trace_function_infos', () =>
        numbersSection(
          s.traces!.functionInfos,
          ff.length,
          [ff.indexOf('line'), ff.indexOf('column')],
          () => cleared++,
        ),
      );
    }
  }
  const fd = fs.openSync(output, 'w');
  try {
    const rewriter = new SectionRewriter(sections, (b) => fs.writeSync(fd, b));
    for await (const chunk of fs.createReadStream(input, { highWaterMark: 1 << 20 }))
      rewriter.write(chunk as Buffer);
    rewriter.end();
  } finally {
    fs.closeSync(fd);
  }
  return { stringsReplaced: replaced, stringsKept: mark.length - replaced, positionsCleared: cleared };
}

function* stringsSection(s: HeapSnapshot, mark: Uint8Array): Iterable<string> {
  let buf = '[';
  for (let i = 0; i < s.strings.length; i++) {
    buf += (i ? ',' : '') + (mark[i] ? `"redacted#${i}"` : JSON.stringify(s.strings.get(i)));
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  yield buf + ']';
}

function* numbersSection(
  values: ArrayLike<number>,
  width: number,
  zeroed: number[],
  onClear: () => void,
): Iterable<string> {
  let buf = '[';
  for (let i = 0; i < values.length; i++) {
    const clear = width > 0 && zeroed.includes(i % width);
    if (clear) onClear();
    buf += (i ? ',' : '') + (clear ? 0 : values[i]);
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  yield buf + ']';
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COLON = 0x3a;
const OPEN = new Set([0x5b, 0x7b]);
const CLOSE = new Set([0x5d, 0x7d]);

/**
 * Streams JSON bytes through, replacing the array value of chosen top-level keys. Tracks
 * only nesting depth and string state, so it works on chunks cut anywhere.
 */
export class SectionRewriter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key: number[] | null = null;
  private lastKey = '';
  private afterColon = false;
  private skipping = false;

  constructor(
    private readonly sections: Map<string, () => Iterable<string>>,
    private readonly out: (b: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    let copyFrom = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.key) {
            this.lastKey = Buffer.from(this.key).toString('latin1');
            this.key = null;
          }
        } else if (this.key && this.key.length < 64) this.key.push(c);
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && !this.skipping) this.key = [];
      } else if (c === COLON && this.depth === 1) {
        this.afterColon = true;
      } else if (OPEN.has(c)) {
        if (this.depth === 1 && this.afterColon && this.sections.has(this.lastKey)) {
          if (i > copyFrom) this.out(chunk.subarray(copyFrom, i));
          for (const piece of this.sections.get(this.lastKey)!()) this.out(Buffer.from(piece, 'utf8'));
          this.skipping = true;
        }
        this.afterColon = false;
        this.depth++;
      } else if (CLOSE.has(c)) {
        this.depth--;
        if (this.skipping && this.depth === 1) {
          this.skipping = false;
          copyFrom = i + 1;
        }
      } else if (c > 0x20 && c !== 0x2c) {
        this.afterColon = false;
      }
    }
    if (!this.skipping && copyFrom < chunk.length) this.out(chunk.subarray(copyFrom));
  }

  end(): void {
    if (this.skipping || this.depth !== 0)
      throw new SnapshotError('truncated', 'the snapshot ends inside a section', -1);
  }
}
