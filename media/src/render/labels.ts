// Edge labels placed so they do not overlap (split from graphView.ts).

const LABEL_ROW = 13;
const LABEL_CHAR = 6.7;

/**
 * Edge labels of edges that fan out from one box land side by side; move a label that
 * would overlap an earlier one to a free row just below or above. Widths are
 * estimated from the monospace font, so this is one sort and one pass.
 */
export function dodgeLabels<T extends { x: number; y: number; text: string }>(labels: T[]): T[] {
  const rowEnd = new Map<number, number>();
  labels.sort((a, b) => a.x - b.x);
  for (const label of labels) {
    const half = (label.text.length * LABEL_CHAR + 6) / 2;
    const home = Math.round(label.y / LABEL_ROW);
    for (const shift of [0, 1, -1, 2, -2]) {
      const row = home + shift;
      if ((rowEnd.get(row) ?? -Infinity) <= label.x - half) {
        rowEnd.set(row, label.x + half);
        label.y += shift * LABEL_ROW;
        break;
      }
    }
  }
  return labels;
}
