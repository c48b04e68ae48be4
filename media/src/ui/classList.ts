// A snapshot's Summary beside the graph: classes by retained size; choosing one asks the
// host for the retainer graph of its largest member, its "merged paths" button for the
// shortest paths of all its members merged into one tree. Class names are heap text: shown with
// textContent only.

import type { ClassRow } from '../../../src/contracts/webview';
import { formatBytes, formatCount, label } from '../render/format';
import { button, el, withTooltip } from './dom';

export function renderClassList(
  list: HTMLOListElement,
  classes: ClassRow[],
  selected: number,
  choose: (index: number) => void,
  /** Draw the merged shortest paths of every object of the class. */
  merged: (index: number) => void,
): void {
  list.replaceChildren();
  classes.forEach((row, index) => {
    const li = el('li', index === selected ? 'leak selected' : 'leak');
    const head = button('', 'leak-select', () => choose(index));
    head.setAttribute('aria-pressed', String(index === selected));
    const name = label(row.name);
    head.append(
      withTooltip(el('span', 'leak-name', `${name.text} × ${formatCount(row.count)}`), name.full),
      el('span', 'leak-size', formatBytes(row.retainedSize)),
    );
    const growth =
      row.countDelta !== undefined
        ? `, ${row.countDelta >= 0 ? '+' : '−'}${formatCount(Math.abs(row.countDelta))} objects (${(row.sizeDelta ?? 0) >= 0 ? '+' : '−'}${formatBytes(Math.abs(row.sizeDelta ?? 0))}) since the last overview`
        : '';
    const paths = button('merged paths', 'wb-merge secondary', () => merged(index));
    paths.setAttribute('aria-label', `Merged shortest paths of every ${name.text} to the GC roots`);
    li.append(
      head,
      el(
        'p',
        'muted',
        `self ${formatBytes(row.selfSize)}, retained ${formatBytes(row.retainedSize)}${growth}`,
      ),
      paths,
    );
    list.append(li);
  });
}
