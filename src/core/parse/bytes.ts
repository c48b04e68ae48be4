// Byte values the snapshot readers branch on, by name.

export const enum ByteClass {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Comma = 44,
  Slash = 47,
  Colon = 58,
  Zero = 48,
  Nine = 57,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  LBrace = 123,
  RBrace = 125,
}

export function isWs(c: number): boolean {
  return (
    c === ByteClass.Space || c === ByteClass.LineFeed || c === ByteClass.CarriageReturn || c === ByteClass.Tab
  );
}

export function describeByte(c: number): string {
  return c >= 33 && c < 127 ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** What the first bytes are, when they are not the "{" of a snapshot (a BOM, gzip, zip, text). */
export function startProblem(buf: Uint8Array, pos: number): string {
  let p = pos;
  while (p < buf.length && isWs(buf[p])) p++;
  const c = buf[p];
  if (c === undefined || c === ByteClass.LBrace) return '';
  const hex = [...buf.subarray(p, p + 3)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (c === 0xef)
    return `the file starts with the bytes ${hex}, a UTF-8 byte-order mark; a heap snapshot starts with "{" (save it without the BOM)`;
  if (c === 0xfe || c === 0xff)
    return `the file starts with the bytes ${hex}, a UTF-16 byte-order mark; a heap snapshot is UTF-8 JSON starting with "{"`;
  if (c === 0x1f && (p + 1 >= buf.length || buf[p + 1] === 0x8b))
    return `the file starts with the bytes ${hex}: it is gzip-compressed; decompress it first (gunzip)`;
  if (c === 0x50 && buf[p + 1] === 0x4b)
    return 'the file starts with "PK": it is a zip archive; extract the .heapsnapshot from it first';
  return `a heap snapshot starts with "{", but this starts with ${describeByte(c)}`;
}
