// Byte values the snapshot readers branch on, by name.

export const enum ByteClass {
  Tab = 9, LineFeed = 10, CarriageReturn = 13, Space = 32,
  Quote = 34, Comma = 44, Slash = 47, Colon = 58, Zero = 48, Nine = 57,
  LBracket = 91, Backslash = 92, RBracket = 93, LBrace = 123, RBrace = 125,
}

export function isWs(c: number): boolean {
  return c === ByteClass.Space || c === ByteClass.LineFeed || c === ByteClass.CarriageReturn || c === ByteClass.Tab;
}

export function describeByte(c: number): string {
  return c >= 33 && c < 127 ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
