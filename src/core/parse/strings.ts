// The "strings" array, read string by string: never as one JS string or one JSON.parse, so
// a snapshot with more string data than V8's longest string (2^29 − 24 characters) loads.

import { GrowableBytes } from '../growable';
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

export class StringsReader {
  done = false;
  readonly strings: string[] = [];
  private inString = false;
  private position = ListPosition.AtStart;
  private readonly bytes = new GrowableBytes();
  private parts: string[] = [];
  private escape = Escape.None;
  private hexDigits = 0;
  private hex = 0;

  constructor(private readonly fail: Fail) {}

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

  /**
   * Reads one string body. The common case, a string with no escapes inside one chunk,
   * becomes a single slice; otherwise raw bytes and decoded escapes are gathered in parts.
   */
  private readString(buf: Buffer, pos: number): number {
    const end = buf.length;
    let start = pos;
    if (this.escape === Escape.None && this.bytes.length === 0 && this.parts.length === 0) {
      let high = 0;
      for (; pos < end; pos++) {
        const c = buf[pos];
        if (c === ByteClass.Quote || c === ByteClass.Backslash || c < 32) break;
        high |= c;
      }
      if (pos < end && buf[pos] === ByteClass.Quote) {
        this.strings.push(high < 128 ? buf.toString('latin1', start, pos) : buf.toString('utf8', start, pos));
        this.inString = false;
        return pos + 1;
      }
    }
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (this.escape === Escape.AfterBackslash) {
        const ch = simpleEscape(c);
        if (ch === 'u') {
          this.escape = Escape.UnicodeDigits;
          this.hexDigits = 0;
          this.hex = 0;
        } else if (ch !== null) {
          this.parts.push(ch);
          this.escape = Escape.None;
        } else {
          this.fail('syntax', `invalid escape "\\${String.fromCharCode(c)}" in a string`, pos);
        }
        start = pos + 1;
        continue;
      }
      if (this.escape === Escape.UnicodeDigits) {
        const h = hexValue(c);
        if (h < 0) this.fail('syntax', 'invalid \\u escape in a string', pos);
        this.hex = this.hex * 16 + h;
        if (++this.hexDigits === 4) {
          // Surrogate halves arrive as separate escapes; as UTF-16 code units they join correctly.
          this.parts.push(String.fromCharCode(this.hex));
          this.escape = Escape.None;
        }
        start = pos + 1;
        continue;
      }
      if (c === ByteClass.Quote || c === ByteClass.Backslash) {
        this.bytes.append(buf, start, pos);
        this.flushBytes();
        if (c === ByteClass.Quote) {
          this.strings.push(this.parts.length === 1 ? this.parts[0] : this.parts.join(''));
          this.parts = [];
          this.inString = false;
          return pos + 1;
        }
        this.escape = Escape.AfterBackslash;
        start = pos + 1;
        continue;
      }
      if (c < 32) this.fail('syntax', 'a control character inside a string', pos);
    }
    // Raw bytes may end mid UTF-8 sequence: keep them as bytes until an escape or the end.
    this.bytes.append(buf, start, end);
    return end;
  }

  private flushBytes(): void {
    if (this.bytes.length > 0) {
      this.parts.push(this.bytes.toString());
      this.bytes.clear();
    }
  }
}

function simpleEscape(c: number): string | null {
  switch (c) {
    case ByteClass.Quote:
      return '"';
    case ByteClass.Backslash:
      return '\\';
    case ByteClass.Slash:
      return '/';
    case 98:
      return '\b';
    case 102:
      return '\f';
    case 110:
      return '\n';
    case 114:
      return '\r';
    case 116:
      return '\t';
    case 117:
      return 'u';
    default:
      return null;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
