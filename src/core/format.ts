// Plain-text output helpers. Heap strings can hold anything, including terminal escape
// sequences: `clean` makes them safe to print (see sanitize.ts).

import { forTerminal } from './sanitize';

/** The one byte formatter (CLI, sentences, extension, webview): 512 B, 18.3 MB, 150 KB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (Math.abs(n) < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Control characters (ESC included) and bidi controls become visible escapes; long text is cut. */
export function clean(s: string, max = 120): string {
  return forTerminal(s, { max });
}

export function table(headers: string[], rows: (string | number)[][], rightAligned: boolean[]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A class summary as a table (count, self and retained size): the CLI's `summary`, plain and by location. */
export function classTable(
  rows: readonly { count: number; selfSize: number; retainedSize: number }[],
  nameOf: (i: number) => string,
): string {
  return table(
    ['Class', 'Count', 'Self size', 'Retained size'],
    rows.map((r, i) => [
      nameOf(i),
      formatCount(r.count),
      formatBytes(r.selfSize),
      formatBytes(r.retainedSize),
    ]),
    [false, true, true, true],
  );
}
