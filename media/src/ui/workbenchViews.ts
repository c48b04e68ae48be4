// The workbench's tables that the host computes on demand: retained size by package or file
// (Attribution), memory spent on nothing (Waste), and growth against another snapshot
// (Comparison). Each row that names an object opens its retainer graph. Heap text (package
// names, file paths, string contents) goes in through textContent only, escaped and cut by
// label() with the whole text in the tooltip.

import type {
  Attribution,
  ShowComparisonMessage,
  Suspect,
  WasteReport,
} from '../../../src/contracts/webview';
import { escapeVisible, formatBytes, formatCount, label } from '../render/format';
import { button, el, withTooltip } from './dom';

/** How much of a heap string a waste row shows (the tooltip has the rest of the preview). */
const STRING_MAX = 60;

/** A table with a header row; the stylesheet right-aligns every column but the first. */
function table(className: string, headings: string[], rows: HTMLElement[][]): HTMLTableElement {
  const t = el('table', `wb-summary ${className}`);
  const head = el('tr');
  headings.forEach((h, i) => head.append(el('th', i === 0 ? 'wb-class' : undefined, h)));
  t.append(head);
  for (const cells of rows) {
    const tr = el('tr');
    tr.append(...cells);
    t.append(tr);
  }
  return t;
}

function num(text: string): HTMLElement {
  return el('td', 'num', text);
}

/** The first cell: heap text, a button opening `id`'s graph when there is one. */
function nameCell(
  raw: string,
  id: number | undefined,
  open: (id: number) => void,
  max?: number,
): HTMLElement {
  const td = el('td', 'wb-class');
  const t = label(raw, max);
  const inner = id ? button(t.text, 'wb-row', () => open(id)) : el('span', 'wb-owner', t.text);
  td.append(withTooltip(inner, t.full));
  return td;
}

export function attributionView(
  a: Attribution | undefined,
  by: Attribution['by'],
  actions: { open(id: number): void; by(key: Attribution['by']): void },
): HTMLElement[] {
  const toggle = el('div', 'wb-toggle');
  toggle.setAttribute('role', 'group');
  toggle.setAttribute('aria-label', 'Charge retained size to');
  for (const [key, text] of [
    ['package', 'By package'],
    ['file', 'By file'],
  ] as const) {
    const b = button(text, key === by ? 'wb-tab selected' : 'wb-tab', () => actions.by(key));
    b.dataset.by = key;
    b.setAttribute('aria-pressed', String(key === by));
    toggle.append(b);
  }
  if (!a || a.by !== by) return [toggle, busy(`Charging every object to its ${by}…`)];
  const note = el(
    'p',
    'muted wb-intro',
    `Each byte charged once, to the ${by} that ${a.fromAllocationStacks ? 'allocated' : 'defines'} its nearest owner in the dominator tree (${a.fromAllocationStacks ? 'allocation stacks' : 'definition sites; take the snapshot with allocation tracking for allocation stacks'}).`,
  );
  const total = a.total || 1;
  const rows = a.rows.slice(0, 300).map((r) => [
    // An owner's largest object is the one worth explaining; "(no owner)" has none.
    nameCell(r.name, r.largestId || undefined, actions.open),
    num(formatBytes(r.retainedSize)),
    num(`${((100 * r.retainedSize) / total).toFixed(1)}%`),
    num(formatCount(r.count)),
  ]);
  const heading = by === 'package' ? 'Package' : 'File';
  return [toggle, note, table('wb-attribution', [heading, 'Retained', 'Share', 'Objects'], rows)];
}

export function wasteView(w: WasteReport | undefined, open: (id: number) => void): HTMLElement[] {
  if (!w) return [busy('Looking for duplicated strings, slices and empty collections…')];
  const parts: HTMLElement[] = [el('p', 'muted wb-intro', `${formatBytes(w.totalWasted)} could be saved.`)];
  const section = (title: string, headings: string[], rows: HTMLElement[][]): void => {
    parts.push(el('h3', 'wb-subheading', title));
    parts.push(rows.length ? table('wb-waste', headings, rows) : el('p', 'muted', 'None.'));
  };
  section(
    'Duplicated strings',
    ['String', 'Copies', 'Wasted'],
    w.duplicateStrings.map((d) => [
      nameCell(
        `"${d.preview}"${d.length > d.preview.length ? ` (${formatCount(d.length)} chars)` : ''}`,
        d.sampleIds[0],
        open,
        STRING_MAX,
      ),
      num(formatCount(d.count)),
      num(formatBytes(d.wastedSize)),
    ]),
  );
  section(
    'Slices keeping a larger string alive',
    ['Slice of', 'Kept alive'],
    w.slicedStrings.map((x) => [
      nameCell(`"${x.parentPreview}"`, x.id, open, STRING_MAX),
      num(formatBytes(x.parentSize)),
    ]),
  );
  section(
    'Empty and oversized collections',
    ['Collections', 'Wasted'],
    w.collections.map((c) => [
      nameCell(`${formatCount(c.count)} ${c.kind} ${c.className}`, c.sampleIds[0], open),
      num(formatBytes(c.wastedSize)),
    ]),
  );
  section(
    'Arrays with identical contents',
    ['Arrays', 'Wasted'],
    w.duplicateArrays.map((d) => [
      nameCell(
        `${formatCount(d.count)} copies of a ${formatCount(d.length)}-element array`,
        d.sampleIds[0],
        open,
      ),
      num(formatBytes(d.wastedSize)),
    ]),
  );
  return parts;
}

export function busy(text: string): HTMLElement {
  const p = el('p', 'muted wb-busy', text);
  p.setAttribute('aria-busy', 'true');
  return p;
}

export function comparisonView(msg: ShowComparisonMessage, open: (id: number) => void): HTMLElement[] {
  const c = msg.comparison;
  const intro = el(
    'p',
    'muted wb-intro',
    c.currentIsLater
      ? `Since ${escapeVisible(msg.other)}:`
      : `From this snapshot to the later ${escapeVisible(msg.other)}:`,
  );
  const parts: HTMLElement[] = [intro];
  if (c.growthSuspects.length > 0) {
    const list = el('ol', 'leaks wb-suspects');
    for (const s of c.growthSuspects) {
      const li = el('li', 'leak');
      // Ids are the later snapshot's: only the current one's open a graph here.
      if (c.currentIsLater) {
        const head = button('', 'leak-select', () => open(s.id));
        head.append(
          el(
            'span',
            'leak-name',
            escapeVisible(`${s.members?.name ?? s.name} × ${formatCount(s.members?.count ?? 1)}`),
          ),
        );
        li.append(head);
      }
      li.append(el('p', 'wb-sentence', escapeVisible(s.sentence)));
      list.append(li);
    }
    parts.push(list);
  }
  const signed = (n: number, f: (x: number) => string): string =>
    `${n > 0 ? '+' : n < 0 ? '−' : ''}${f(Math.abs(n))}`;
  const rows = c.classes.map((r) => [
    el('td', 'wb-class', escapeVisible(r.label)),
    num(formatCount(r.added)),
    num(formatCount(r.removed)),
    num(signed(r.countDelta, formatCount)),
    num(signed(r.sizeDelta, formatBytes)),
  ]);
  parts.push(table('wb-comparison', ['Class', 'New', 'Gone', 'Δ count', 'Δ size'], rows));
  return parts;
}

export function suspectsView(suspects: Suspect[], open: (id: number) => void): HTMLElement {
  if (suspects.length === 0)
    return el(
      'p',
      'muted',
      'No leak suspects: no container holds many objects of one class, and no object keeps a large share of the heap.',
    );
  const list = el('ol', 'leaks wb-suspects');
  for (const s of suspects) {
    const li = el('li', 'leak');
    const head = button('', 'leak-select', () => open(s.id));
    head.append(
      el(
        'span',
        'leak-name',
        escapeVisible(s.members ? `${s.members.name} × ${formatCount(s.members.count)}` : s.name),
      ),
      el('span', 'leak-size', formatBytes(s.members?.retainedSize ?? s.retainedSize)),
    );
    li.append(
      head,
      el('p', 'wb-sentence', escapeVisible(s.sentence)),
      el('p', 'muted wb-path', escapeVisible(s.foldedPath)),
    );
    list.append(li);
  }
  return list;
}

/** A tab whose question the host could not answer: what went wrong, and a way to ask again. */
export function failedView(message: string, retry: () => void): HTMLElement[] {
  const p = el('p', 'wb-error', `Could not compute this view: ${message}`);
  p.setAttribute('role', 'alert');
  return [p, button('Retry', 'wb-retry secondary', retry)];
}
