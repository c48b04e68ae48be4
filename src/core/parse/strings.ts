// The "strings" array, read string by string into one UTF-8 byte array (stringTable.ts):
// never as one JS string or one JSON.parse, so a snapshot with more string data than V8's
// longest string (2^29 − 24 characters) loads, and no JS string is made per entry.
//
// What each entry decodes to is exactly what JSON.parse would give for the same bytes: raw
// bytes are copied as they are (invalid UTF-8 is rewritten as the U+FFFD its decoding gives),
// escapes are written as UTF-8, a surrogate pair of escapes as its one character, and a lone
// surrogate escape makes the entry an odd one, kept as a JS string (see stringTable.ts).

import { isUtf8 } from 'node:buffer';
import { MAX_STRING_TABLE_BYTES, StringTable } from '../stringTable';
import { ByteClass, describeByte, isWs } from './bytes';
import type { Fail } from './numbers';

/** Where the reader stands in the list (JSON's separators). */
const enum ListPosition {
  AtStart,
  AfterItem,
  AfterComma,
}

/** Inside a string body: plain bytes, just after a backslash, or reading \uXXXX digits. */
const enum Escape {
  None,
  AfterBackslash,
  UnicodeDigits,
}

/**
 * Tables this small are copied to their exact size at the end when most of their room is
 * empty; bigger ones are mapped memory whose untouched tail never becomes resident, so a view
 * of the used part is enough. A copy frees nothing until the collector frees the room, which
 * after a load can be long (nothing allocates much then), and meanwhile it holds the content
 * twice: a file's room (the rest of it) is about 1.2 times its content, so it is kept.
 */
const COPY_BELOW = 64 << 20;
/** Each entry takes at least 3 bytes of JSON (`"",`), so the room bounds the entry count. */
const MIN_ENTRY_BYTES = 3;

export class StringsReader {
  done = false;
  private inString = false;
  private position = ListPosition.AtStart;
  private bytes: Buffer;
  private used = 0;
  /**
   * offsets[i]..offsets[i + 1]: entry i's bytes; offsets[count] is where the open one starts.
   * Room for every entry the input left can hold, when its size is known (so it never grows
   * by doubling, which left each smaller copy behind until a collection: 7 MB at 100 MB of
   * snapshot); the untouched rest is never resident.
   */
  private offsets: Uint32Array;
  private count = 0;
  /** The open entry has raw bytes ≥ 0x80, which may not be valid UTF-8. */
  private rawHigh = false;
  /** A high surrogate escape waiting for its low half. */
  private highSurrogate = 0;
  /** The open entry's text so far, once it has a lone surrogate (odd entries only). */
  private parts: string[] | null = null;
  private odd: Map<number, string> | null = null;
  private escape = Escape.None;
  private hexDigits = 0;
  private hex = 0;

  /**
   * `expectedBytes`: the input left when "strings" starts, when known. The content takes
   * at most as many bytes as its JSON text, so that is room enough without growing.
   */
  constructor(
    private readonly fail: Fail,
    expectedBytes?: number,
  ) {
    const room = expectedBytes === undefined ? 1 << 20 : Math.max(1 << 16, expectedBytes);
    this.bytes = Buffer.alloc(Math.min(MAX_STRING_TABLE_BYTES, room));
    const entries = expectedBytes === undefined ? 0 : Math.floor(expectedBytes / MIN_ENTRY_BYTES) + 2;
    this.offsets = new Uint32Array(Math.max(1 << 16, Math.min(entries, MAX_STRING_TABLE_BYTES >>> 2)));
  }

  /** Consumes bytes from `pos` (just past the "["); returns where it stopped. */
  read(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      if (this.inString) {
        pos = this.readString(buf, pos);
        continue;
      }
      const c = buf[pos];
      if (isWs(c)) {
        pos++;
      } else if (c === ByteClass.Quote) {
        if (this.position === ListPosition.AfterItem)
          this.fail('syntax', 'expected "," between strings', pos);
        this.position = ListPosition.AfterItem;
        this.inString = true;
        pos++;
      } else if (c === ByteClass.Comma) {
        if (this.position !== ListPosition.AfterItem) this.fail('syntax', 'unexpected "," in "strings"', pos);
        this.position = ListPosition.AfterComma;
        pos++;
      } else if (c === ByteClass.RBracket) {
        if (this.position === ListPosition.AfterComma)
          this.fail('syntax', 'a "," is followed by "]" in "strings"', pos);
        this.done = true;
        return pos + 1;
      } else {
        this.fail('syntax', `unexpected ${describeByte(c)} in "strings" (only strings belong there)`, pos);
      }
    }
    return pos;
  }

  /** Where the reader is, for "the snapshot ends early (inside …)". */
  get midString(): boolean {
    return this.inString;
  }

  /** The table read (once `done`). */
  table(): StringTable {
    const n = this.count;
    let bytes = this.bytes.subarray(0, this.used);
    if (this.bytes.length <= COPY_BELOW && this.bytes.length - this.used > Math.max(1 << 16, this.used))
      bytes = Buffer.from(bytes);
    return new StringTable(bytes, this.offsets.subarray(0, n + 1), this.odd);
  }

  /** Reads string body bytes: runs of plain bytes are copied, escapes decoded one byte at a time. */
  private readString(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      if (this.escape !== Escape.None) {
        this.readEscape(buf, pos);
        pos++;
        continue;
      }
      const from = pos;
      let high = 0;
      for (; pos < end; pos++) {
        const c = buf[pos];
        if (c === ByteClass.Quote || c === ByteClass.Backslash || c < 32) break;
        high |= c;
      }
      if (pos > from) {
        if (this.highSurrogate !== 0) this.becomeOdd();
        this.put(buf, from, pos);
        if (high >= 128) this.rawHigh = true;
      }
      if (pos === end) break;
      const c = buf[pos];
      if (c < 32) this.fail('syntax', 'a control character inside a string', pos);
      pos++;
      if (c === ByteClass.Backslash) {
        this.escape = Escape.AfterBackslash;
        continue;
      }
      this.close(pos);
      this.inString = false;
      return pos;
    }
    return pos;
  }

  private readEscape(buf: Buffer, pos: number): void {
    const c = buf[pos];
    if (this.escape === Escape.AfterBackslash) {
      if (c === 117) {
        this.escape = Escape.UnicodeDigits;
        this.hexDigits = 0;
        this.hex = 0;
        return;
      }
      const unit = simpleEscape(c);
      if (unit < 0) this.fail('syntax', `invalid escape "\\${String.fromCharCode(c)}" in a string`, pos);
      this.escape = Escape.None;
      this.unit(unit, pos);
      return;
    }
    const h = hexValue(c);
    if (h < 0) this.fail('syntax', 'invalid \\u escape in a string', pos);
    this.hex = this.hex * 16 + h;
    if (++this.hexDigits === 4) {
      this.escape = Escape.None;
      this.unit(this.hex, pos);
    }
  }

  /** One UTF-16 code unit from an escape. */
  private unit(u: number, pos: number): void {
    if (this.highSurrogate !== 0) {
      if (u >= 0xdc00 && u <= 0xdfff) {
        this.putCodePoint(0x10000 + ((this.highSurrogate - 0xd800) << 10) + (u - 0xdc00), pos);
        this.highSurrogate = 0;
        return;
      }
      this.becomeOdd();
    }
    if (this.parts) {
      this.flushOddBytes();
      this.parts.push(String.fromCharCode(u));
    } else if (u >= 0xd800 && u <= 0xdbff) {
      this.highSurrogate = u;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      this.becomeOdd();
      this.parts!.push(String.fromCharCode(u));
    } else {
      this.putCodePoint(u, pos);
    }
  }

  /**
   * The open entry holds a lone surrogate: from now on it is built as a JS string, as
   * JSON.parse builds it. The bytes so far decode to its text so far (escapes went in as
   * whole UTF-8 sequences, so they cannot merge with the raw bytes around them).
   */
  private becomeOdd(): void {
    if (this.parts) return;
    const start = this.offsets[this.count];
    this.parts = [this.bytes.toString('utf8', start, this.used)];
    this.used = start;
    this.rawHigh = false;
    if (this.highSurrogate !== 0) {
      this.parts.push(String.fromCharCode(this.highSurrogate));
      this.highSurrogate = 0;
    }
  }

  /** An odd entry's raw bytes since its last escape, decoded as one piece. */
  private flushOddBytes(): void {
    const start = this.offsets[this.count];
    if (this.used > start) {
      this.parts!.push(this.bytes.toString('utf8', start, this.used));
      this.used = start;
    }
  }

  private close(pos: number): void {
    if (this.highSurrogate !== 0) this.becomeOdd();
    const start = this.offsets[this.count];
    const rawHigh = this.rawHigh;
    this.rawHigh = false;
    if (this.parts) {
      this.flushOddBytes();
      (this.odd ??= new Map()).set(this.count, this.parts.join(''));
      this.parts = null;
    } else if (rawHigh) {
      // Stored bytes are valid UTF-8, so that equal bytes mean equal strings.
      const raw = this.bytes.subarray(start, this.used);
      if (!isUtf8(raw)) {
        const fixed = Buffer.from(raw.toString('utf8'), 'utf8');
        this.used = start;
        this.ensure(fixed.length, pos);
        fixed.copy(this.bytes, this.used);
        this.used += fixed.length;
      }
    }
    if (this.count + 2 > this.offsets.length) {
      const more = new Uint32Array(this.offsets.length * 2);
      more.set(this.offsets);
      this.offsets = more;
    }
    this.offsets[++this.count] = this.used;
  }

  private put(buf: Buffer, from: number, to: number): void {
    this.ensure(to - from, from);
    // Most entries are a few dozen bytes: a loop beats Buffer.copy's argument checks there.
    if (to - from < 64) {
      const b = this.bytes;
      let at = this.used;
      for (let i = from; i < to; i++) b[at++] = buf[i];
      this.used = at;
    } else {
      buf.copy(this.bytes, this.used, from, to);
      this.used += to - from;
    }
  }

  private putCodePoint(cp: number, pos: number): void {
    this.ensure(4, pos);
    const b = this.bytes;
    let at = this.used;
    if (cp < 0x80) {
      b[at++] = cp;
    } else if (cp < 0x800) {
      b[at++] = 0xc0 | (cp >> 6);
      b[at++] = 0x80 | (cp & 63);
    } else if (cp < 0x10000) {
      b[at++] = 0xe0 | (cp >> 12);
      b[at++] = 0x80 | ((cp >> 6) & 63);
      b[at++] = 0x80 | (cp & 63);
    } else {
      b[at++] = 0xf0 | (cp >> 18);
      b[at++] = 0x80 | ((cp >> 12) & 63);
      b[at++] = 0x80 | ((cp >> 6) & 63);
      b[at++] = 0x80 | (cp & 63);
    }
    this.used = at;
  }

  private ensure(n: number, pos: number): void {
    const need = this.used + n;
    if (need <= this.bytes.length) return;
    if (need > MAX_STRING_TABLE_BYTES)
      this.fail('too-large', 'the strings hold more than 4 GiB of text', pos);
    const bigger = Buffer.alloc(Math.min(MAX_STRING_TABLE_BYTES, Math.max(need, this.bytes.length * 2)));
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}

/** The code unit a one-letter escape (not \u) stands for, or -1 if it is not an escape. */
function simpleEscape(c: number): number {
  switch (c) {
    case ByteClass.Quote:
    case ByteClass.Backslash:
    case ByteClass.Slash:
      return c;
    case 98:
      return 8; // \b
    case 102:
      return 12; // \f
    case 110:
      return 10; // \n
    case 114:
      return 13; // \r
    case 116:
      return 9; // \t
    default:
      return -1;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
