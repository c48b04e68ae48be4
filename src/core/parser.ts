// A streaming reader for V8's .heapsnapshot JSON. It takes chunks of any size, cut at any
// byte (file reads) or any character (CDP's addHeapSnapshotChunk strings), and writes the
// numbers straight into typed arrays. Nothing whose size grows with the heap is ever held
// as one string or handed to JSON.parse: the strings section is read string by string, so
// a snapshot with more string data than V8's maximum string length still loads.
//
// The document is read as a small state machine over bytes. Only the `snapshot` header
// (meta and counts, a few KB) is collected and given to JSON.parse.

// Each sub-machine lives in its own file under parse/: the header (header.ts), the number
// arrays (numbers.ts), the strings (strings.ts), values of unknown keys (skip.ts), the
// trace tree (traceTree.ts) and the final checks (build.ts). This file reads the top-level
// object and hands each value to its reader.

import { SnapshotError, SnapshotErrorCode } from './errors';
import { HeapSnapshot } from './snapshot';
import { HeaderReader, SnapshotHeader } from './header';
import { TraceTreeReader } from './traceTree';
import { ByteClass, isWs, startProblem } from './parse/bytes';
import { NumberArrays, Section } from './parse/numbers';
import { StringsReader } from './parse/strings';
import { ValueSkipper } from './parse/skip';
import { buildSnapshot, graphOf, ParsedGraph } from './parse/build';
import type { EdgeColumns } from './parse/edgeSplit';

/** Where the top-level reader stands; the *Reader states hand the bytes to a sub-machine. */
const enum Top {
  DocStart,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  AfterValue,
  Done,
  NumbersStart,
  StringsStart,
  HeaderReader,
  NumbersReader,
  StringsReader,
  SkipReader,
  TraceTreeReader,
}

const KNOWN_KEYS = new Set([
  'snapshot',
  'nodes',
  'edges',
  'trace_function_infos',
  'trace_tree',
  'samples',
  'locations',
  'strings',
]);
const SECTIONS: Record<string, Section> = {
  nodes: Section.Nodes,
  edges: Section.Edges,
  trace_function_infos: Section.FunctionInfos,
  samples: Section.Samples,
  locations: Section.Locations,
};
const MAX_KEY_BYTES = 256;

export interface ParserOptions {
  /** Total input size when known (a file): lets the parser trust header counts up to what the bytes can hold. */
  totalBytes?: number;
  /** Told the graph once "nodes" and "edges" are read, before the strings (graph/parallel.ts). */
  onGraph?: (g: ParsedGraph) => void;
  /** Reserve the edge columns at the header's count as soon as it is read (parse/edgeSplit.ts). */
  reserveEdges?: boolean;
}

export class SnapshotParser {
  private state = Top.DocStart;
  private offset = 0; // absolute byte offset of the current chunk's start
  private readonly seenKeys = new Set<string>();
  private key = '';
  private keyBytes: number[] = [];

  private readonly headerReader: HeaderReader;
  private header: SnapshotHeader | null = null;
  private numbers: NumberArrays | null = null;
  private stringsReader: StringsReader | null = null;
  private skipper: ValueSkipper | null = null;
  private traceTree: TraceTreeReader | null = null;

  private readonly totalBytes: number | undefined;
  private readonly onGraph: ((g: ParsedGraph) => void) | undefined;
  private readonly reserve: boolean;
  private readonly encoder = new TextEncoder();
  private readonly failAt = (code: SnapshotErrorCode, message: string, pos: number): never =>
    this.fail(code, message, pos);

  constructor(options: ParserOptions = {}) {
    this.totalBytes = options.totalBytes;
    this.onGraph = options.onGraph;
    this.reserve = options.reserveEdges ?? false;
    this.headerReader = new HeaderReader(this.failAt);
  }

  /** Offset just past the "snapshot" header, -1 until it has been read. */
  headerEnd = -1;

  get snapshotHeader(): SnapshotHeader | null {
    return this.header;
  }

  /** Whether the reader is inside the "edges" array. */
  get inEdges(): boolean {
    return this.state === Top.NumbersReader && this.key === 'edges';
  }

  /**
   * The edge records read so far when the reader stands just past the "," after a record
   * inside "edges" (so another reader's part can follow), else -1. See parse/edgeSplit.ts.
   */
  edgeBoundary(): number {
    return this.inEdges ? this.numbers!.edgeBoundary() : -1;
  }

  /**
   * The edge columns at the header's count, shared, for the edge thread: reserved when the
   * header was read (options.reserveEdges), before any edge; null if not or implausible.
   */
  reservedEdges: EdgeColumns | null = null;

  /**
   * Counts `count` edges another reader wrote after ours, the input resuming at `offset`; false
   * (nothing changed) when a record read before them is bad (see NumberArrays.adoptEdges).
   */
  adoptEdges(count: number, maxName: number, offset: number): boolean {
    if (!this.numbers!.adoptEdges(count, maxName)) return false;
    this.offset = offset;
    return true;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.offset;
  }

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = buf.length;
    let pos = 0;
    while (pos < end) {
      switch (this.state) {
        case Top.DocStart:
          pos = this.expectChar(
            buf,
            pos,
            ByteClass.LBrace,
            Top.KeyOrEnd,
            startProblem(buf, pos),
            'not-a-snapshot',
          );
          break;
        case Top.KeyOrEnd:
          pos = this.keyOrEnd(buf, pos);
          break;
        case Top.Key:
          pos = this.readKey(buf, pos);
          break;
        case Top.Colon:
          pos = this.expectChar(buf, pos, ByteClass.Colon, Top.Value, 'expected ":" after a key', 'syntax');
          break;
        case Top.Value:
          pos = this.startValue(buf, pos);
          break;
        case Top.AfterValue:
          pos = this.afterValue(buf, pos);
          break;
        case Top.NumbersStart:
          pos = this.expectChar(
            buf,
            pos,
            ByteClass.LBracket,
            Top.NumbersReader,
            `expected "[" to start "${this.key}"`,
            'syntax',
          );
          break;
        case Top.StringsStart:
          pos = this.expectChar(
            buf,
            pos,
            ByteClass.LBracket,
            Top.StringsReader,
            'expected "[" to start "strings"',
            'syntax',
          );
          break;
        case Top.HeaderReader: {
          const r = this.headerReader;
          pos = r.read(buf, pos, this.offset);
          if (r.done) {
            this.header = r.header;
            this.headerEnd = this.offset + pos;
            this.numbers = new NumberArrays(r.header!, this.totalBytes, this.failAt);
            if (this.reserve) this.reservedEdges = this.numbers.reserveEdges();
            this.state = Top.AfterValue;
          }
          break;
        }
        case Top.NumbersReader:
          pos = this.numbers!.read(buf, pos);
          if (this.numbers!.done) {
            this.state = Top.AfterValue;
            if (this.key === 'edges') this.onGraph?.(graphOf(this.header!, this.numbers!));
          }
          break;
        case Top.StringsReader:
          pos = this.stringsReader!.read(buf, pos);
          if (this.stringsReader!.done) this.state = Top.AfterValue;
          break;
        case Top.SkipReader:
          pos = this.skipper!.read(buf, pos);
          if (this.skipper!.done) this.state = Top.AfterValue;
          break;
        case Top.TraceTreeReader:
          pos = this.traceTree!.read(buf, pos, this.offset);
          if (this.traceTree!.done) this.state = Top.AfterValue;
          break;
        case Top.Done:
          for (; pos < end; pos++) {
            if (!isWs(buf[pos])) this.fail('syntax', 'unexpected data after the end of the snapshot', pos);
          }
          break;
      }
    }
    this.offset += end;
  }

  /** Finishes the input and returns the snapshot, or throws a SnapshotError naming what is wrong. */
  end(): HeapSnapshot {
    if (this.offset === 0) throw new SnapshotError('empty', 'the snapshot is empty', 0);
    if (this.state !== Top.Done) {
      throw new SnapshotError('truncated', `the snapshot ends early (inside ${this.where()})`, this.offset);
    }
    return buildSnapshot({
      header: this.header,
      numbers: this.numbers,
      strings: this.stringsReader?.table() ?? null,
      traceTree: this.traceTree,
      at: this.offset,
    });
  }

  // ---- the top-level object ---------------------------------------------------------

  private expectChar(
    buf: Buffer,
    pos: number,
    ch: number,
    next: Top,
    message: string,
    code: 'syntax' | 'not-a-snapshot',
  ): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    if (buf[pos] !== ch) this.fail(code, message, pos);
    this.state = next;
    return pos + 1;
  }

  private keyOrEnd(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    const c = buf[pos];
    if (c === ByteClass.RBrace && this.seenKeys.size === 0) {
      this.state = Top.Done;
      return pos + 1;
    }
    if (c !== ByteClass.Quote) this.fail('syntax', 'expected a key', pos);
    this.keyBytes = [];
    this.state = Top.Key;
    return pos + 1;
  }

  private readKey(buf: Buffer, pos: number): number {
    const end = buf.length;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (c === ByteClass.Quote) {
        this.key = Buffer.from(this.keyBytes).toString('utf8');
        if (this.seenKeys.has(this.key)) this.fail('syntax', `the key "${this.key}" appears twice`, pos);
        this.seenKeys.add(this.key);
        this.state = Top.Colon;
        return pos + 1;
      }
      if (c === ByteClass.Backslash) {
        // Keys we act on never contain escapes; an escaped key is an unknown key, skipped below.
        this.keyBytes.push(c, buf[++pos] ?? 0);
        continue;
      }
      if (this.keyBytes.length >= MAX_KEY_BYTES) this.fail('too-large', 'a top-level key is too long', pos);
      this.keyBytes.push(c);
    }
    return pos;
  }

  private startValue(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    const key = this.key;
    if (key === 'snapshot') {
      if (buf[pos] !== ByteClass.LBrace) this.fail('bad-meta', '"snapshot" must be an object', pos);
      this.state = Top.HeaderReader;
      return pos;
    }
    if (!KNOWN_KEYS.has(key)) {
      this.skipper = new ValueSkipper(key, this.failAt);
      this.state = Top.SkipReader;
      return pos;
    }
    if (!this.header)
      this.fail('bad-meta', `"${key}" comes before the "snapshot" header that describes it`, pos);
    if (key === 'trace_tree') {
      this.traceTree = new TraceTreeReader(this.header.meta.traceNodeFields, (m, at) =>
        this.fail('syntax', m, at),
      );
      this.state = Top.TraceTreeReader;
      return pos;
    }
    if (key === 'strings') {
      const left = this.totalBytes === undefined ? undefined : this.totalBytes - (this.offset + pos);
      this.stringsReader = new StringsReader(this.failAt, left);
      this.state = Top.StringsStart;
      return pos;
    }
    if (key === 'edges' && this.numbers!.nodesRead < 0)
      this.fail('syntax', '"edges" comes before "nodes"', pos);
    this.numbers!.begin(SECTIONS[key], key);
    this.state = Top.NumbersStart;
    return pos;
  }

  private afterValue(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    const c = buf[pos];
    if (c === ByteClass.Comma) {
      pos++;
      while (pos < end && isWs(buf[pos])) pos++;
      if (pos < end && buf[pos] !== ByteClass.Quote) this.fail('syntax', 'expected a key after ","', pos);
      this.state = Top.KeyOrEnd;
      return pos;
    }
    if (c === ByteClass.RBrace) {
      this.state = Top.Done;
      return pos + 1;
    }
    return this.fail('syntax', `expected "," or "}" after "${this.key}"`, pos);
  }

  private where(): string {
    switch (this.state) {
      case Top.NumbersStart:
      case Top.NumbersReader:
      case Top.SkipReader:
        return `"${this.key}"`;
      case Top.StringsReader:
      case Top.StringsStart:
        return '"strings"';
      case Top.HeaderReader:
        return 'the "snapshot" header';
      case Top.TraceTreeReader:
        return '"trace_tree"';
      default:
        return 'the top-level object';
    }
  }

  /** Throws; typed as returning a number so callers can `return this.fail(...)`. */
  fail(code: SnapshotErrorCode, message: string, pos: number): never {
    throw new SnapshotError(code, message, this.offset + pos);
  }
}
