// The one sanitiser for text that carries input bytes (heap strings, snapshot bytes quoted in
// an error, a debuggee's exception text, a CDP error) on its way to a person.
// - A terminal obeys control characters: ESC[2J clears the screen, a CR overwrites the line,
//   so C0/C1 controls and DEL become visible `\uXXXX` escapes.
// - Bidi controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM) reorder what is shown: `…/\u202egpj.exe`
//   reads as "exe.jpg". They become visible escapes too, on the terminal and in the webview.
// - A webview label is cut to a length (a 100 KB class name must not make a 100,000 px list
//   item) and keeps its whole text for a tooltip; its element isolates it (dir="auto") so
//   right-to-left text inside cannot reorder the words around it.
// - An SVG export must be well-formed XML, which cannot hold NUL or most C0 controls.
/* eslint-disable no-control-regex -- these patterns exist to find control characters in untrusted text */

/** C0 controls, DEL, C1 controls, line/paragraph separators and the bidi controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const UNSAFE_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** Every unsafe character (newlines included) as a visible escape: one line, nothing hidden. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

export interface TerminalOptions {
  /** Keep `\n` (a stack trace stays readable); every other control is still escaped. */
  multiline?: boolean;
  /** Cut to this many code points, ending in "…". */
  max?: number;
}

/** Text safe to write to a terminal. */
export function forTerminal(text: string, options: TerminalOptions = {}): string {
  const safe = text.replace(options.multiline ? UNSAFE_BUT_NEWLINE : UNSAFE, escapeChar);
  return options.max === undefined ? safe : cut(safe, options.max);
}

/** At most `max` code points (a surrogate pair is never split), the last one "…" when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const limit = Math.max(1, Math.floor(max));
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n === limit - 1) return `${out}…`;
    out += ch;
    n++;
  }
  return out;
}

export interface Label {
  /** What is drawn: escaped and cut. */
  text: string;
  /** The whole escaped text, for a tooltip; undefined when nothing was cut. */
  full: string | undefined;
}

/**
 * A label for the webview: escaped, cut to `max` code points, the whole text kept when cut.
 * The element that shows it isolates it (`dir="auto"`, see media/src/ui/dom.ts), so
 * right-to-left letters inside cannot reorder the words around it.
 */
export function forWebview(raw: unknown, max: number): Label {
  const safe = escapeUnsafe(String(raw));
  const shown = cut(safe, max);
  return { text: shown, full: shown === safe ? undefined : safe };
}

// XML 1.0 allows TAB, LF, CR and everything from U+0020 except lone surrogates, U+FFFE and U+FFFF.

const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Drop what XML cannot carry (NUL, most C0 controls, lone surrogates) from serialised SVG. */
export function forXml(text: string): string {
  return text.replace(NOT_XML, '');
}
