/// <reference types="node" />
// The snapshot's string table as UTF-8 bytes in one array plus an offset per string, decoded
// when asked for. A JS string per entry cost its content (twice for two-byte strings) plus a
// header and a pointer each, all on the V8 heap, where the collector keeps room to grow;
// here the table costs its bytes and 4 bytes a string, and a string-heavy snapshot's content
// is counted with the other typed arrays.
//
// The bytes are always valid UTF-8, so decoding is exact and a comparison of bytes is a
// comparison of strings. The one thing UTF-8 cannot hold, a lone UTF-16 surrogate (written by
// a `\uD800`-style escape), makes its string an "odd" one: kept whole as a JS string beside
// the bytes, with no bytes of its own.

/** Largest table (bytes of content): offsets are 32-bit, and so is Node 20's longest Buffer. */
export const MAX_STRING_TABLE_BYTES = 0xffffffff;

// Short decoded strings are remembered in a small direct-mapped cache: loops over every node
// ask for the same few hundred class names again and again. Long ones are not, so the cache
// never holds more than a few MB.
const CACHE_BITS = 12;
const CACHE_MAX_BYTES = 256;
const CACHE_MASK = (1 << CACHE_BITS) - 1;

export class StringTable {
  /** Entries in the table. */
  readonly length: number;
  // 0xffffffff is no entry's index (there are fewer than 2^32 - 1 of them).
  private readonly cacheKey = new Uint32Array(1 << CACHE_BITS).fill(0xffffffff);
  private readonly cacheValue: string[] = new Array<string>(1 << CACHE_BITS).fill('');

  /**
   * `offsets[i]..offsets[i + 1]` are string i's bytes; an odd string has none and its text
   * in `odd`.
   */
  constructor(
    readonly bytes: Buffer,
    readonly offsets: Uint32Array,
    private readonly odd: ReadonlyMap<number, string> | null,
  ) {
    this.length = offsets.length - 1;
  }

  /** A table of these strings (hand-made snapshots, tests). */
  static from(strings: readonly string[]): StringTable {
    const offsets = new Uint32Array(strings.length + 1);
    const parts: Buffer[] = [];
    const odd = new Map<number, string>();
    let at = 0;
    strings.forEach((text, i) => {
      const b = Buffer.from(text, 'utf8');
      if (b.toString('utf8') !== text) odd.set(i, text);
      else {
        parts.push(b);
        at += b.length;
      }
      offsets[i + 1] = at;
    });
    return new StringTable(Buffer.concat(parts), offsets, odd.size > 0 ? odd : null);
  }

  /** String i; '' for an index past the end (a trace function info may name one). */
  get(i: number): string {
    const slot = i & CACHE_MASK;
    if (this.cacheKey[slot] === i) return this.cacheValue[slot];
    if (!(i >= 0 && i < this.length)) return '';
    const a = this.offsets[i];
    const b = this.offsets[i + 1];
    const text = a === b ? (this.odd?.get(i) ?? '') : this.bytes.toString('utf8', a, b);
    if (b - a <= CACHE_MAX_BYTES) {
      this.cacheKey[slot] = i;
      this.cacheValue[slot] = text;
    }
    return text;
  }

  /** Whether string i is `text`, without decoding it (by length first: most differ there). */
  equals(i: number, text: string): boolean {
    if (!(i >= 0 && i < this.length)) return false;
    const a = this.offsets[i];
    const b = this.offsets[i + 1];
    const n = b - a;
    if (n === 0) return text === (this.odd?.get(i) ?? '');
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit, and exactly 1 only when all of it is ASCII.
    if (n < text.length || n > 3 * text.length) return false;
    if (n > text.length) return this.bytes.toString('utf8', a, b) === text;
    const bytes = this.bytes;
    for (let k = 0; k < n; k++) if (bytes[a + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** Byte k of entry i (counted from the end when k < 0), or -1: no such byte, or an odd entry. */
  byteAt(i: number, k: number): number {
    if (!(i >= 0 && i < this.length)) return -1;
    const a = this.offsets[i];
    const b = this.offsets[i + 1];
    const at = k < 0 ? b + k : a + k;
    return at >= a && at < b ? this.bytes[at] : -1;
  }

  /** The first entry that is `text`, or -1. */
  indexOf(text: string): number {
    for (let i = 0; i < this.length; i++) if (this.equals(i, text)) return i;
    return -1;
  }

  /** Every entry as a JS string (tests, small tables). */
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.get(i));
    return out;
  }
}
