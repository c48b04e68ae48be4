// The value of a top-level key Heap Lens does not read (a newer V8's extra section), skipped
// without being kept: strings, nesting and scalars are tracked only enough to find its end.

import { ByteClass, isWs } from './bytes';
import type { Fail } from './numbers';

/** What the skipper is inside of. */
const enum Within {
  Structure,
  String,
  StringEscape,
  Scalar,
}

export class ValueSkipper {
  done = false;
  private depth = 0;
  private within = Within.Structure;

  constructor(
    private readonly key: string,
    private readonly fail: Fail,
  ) {}

  /** Consumes bytes from the value's first byte; returns where it stopped (just past the value). */
  read(buf: Buffer, pos: number): number {
    const end = buf.length;
    for (; pos < end; pos++) {
      const c = buf[pos];
      switch (this.within) {
        case Within.StringEscape:
          this.within = Within.String;
          continue;
        case Within.String:
          if (c === ByteClass.Backslash) this.within = Within.StringEscape;
          else if (c === ByteClass.Quote) {
            this.within = Within.Structure;
            if (this.depth === 0) return this.finish(pos + 1);
          }
          continue;
        case Within.Scalar:
          if (c === ByteClass.Comma || c === ByteClass.RBrace || c === ByteClass.RBracket || isWs(c)) {
            this.within = Within.Structure;
            // The byte that ends a scalar belongs to whatever holds it: look at it again.
            if (this.depth === 0) return this.finish(pos);
            pos--;
          }
          continue;
      }
      if (isWs(c) || c === ByteClass.Comma || c === ByteClass.Colon) continue;
      if (c === ByteClass.Quote) this.within = Within.String;
      else if (c === ByteClass.LBrace || c === ByteClass.LBracket) this.depth++;
      else if (c === ByteClass.RBrace || c === ByteClass.RBracket) {
        if (--this.depth < 0) this.fail('syntax', `unbalanced brackets in "${this.key}"`, pos);
        if (this.depth === 0) return this.finish(pos + 1);
      } else this.within = Within.Scalar;
    }
    return pos;
  }

  private finish(pos: number): number {
    this.done = true;
    return pos;
  }
}
