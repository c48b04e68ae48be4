// The snapshot workbench in the side panel: leak suspects, the dominator tree (expandable,
// children by retained size), the Summary split by definition site (sortable, filtered, each
// class's merged paths to the roots a button away), and the tables the host computes when
// first asked (workbenchViews.ts): Attribution, Waste, Comparison. Every row that names an
// object opens its retainer graph. All heap text goes in through textContent (el/button),
// never as markup.

import type {
  Attribution,
  DominatorRow,
  ShowComparisonMessage,
  ShowWorkbenchMessage,
  Suspect,
  SummaryRow,
  WasteReport,
} from '../../../src/contracts/webview';
import { escapeVisible, formatBytes, formatCount } from '../render/format';
import { announce, button, el } from './dom';
import { attributionView, busy, comparisonView, failedView, suspectsView, wasteView } from './workbenchViews';

export interface WorkbenchActions {
  open(id: number): void;
  expand(id: number): void;
  /** "Compare with…": the host asks which snapshot. */
  compare(): void;
  /** The merged shortest paths of the Summary row `id` belongs to, drawn in the graph panel. */
  merged(id: number): void;
  /** Ask the host for a table it computes on demand. */
  attribution(by: Attribution['by']): void;
  waste(): void;
  summary(): void;
}

type Tab = 'suspects' | 'dominators' | 'summary' | 'attribution' | 'waste' | 'comparison';
type SortKey = 'count' | 'selfSize' | 'retainedSize';

export class Workbench {
  private tab: Tab = 'suspects';
  private rows = new Map<number, DominatorRow>();
  private expanded = new Set<number>();
  private root: DominatorRow | undefined;
  private summary: SummaryRow[] | undefined;
  private suspects: Suspect[] = [];
  private sort: SortKey = 'retainedSize';
  private filter = '';
  private comparison: ShowComparisonMessage | undefined;
  private attributionBy: Attribution['by'] = 'package';
  private attributions: Partial<Record<Attribution['by'], Attribution>> = {};
  private waste: WasteReport | undefined;
  /** Asked of the host and not answered yet, so a second visit does not ask again. */
  private asked = new Set<string>();
  /** Questions the host could not answer, by the tab that asked: shown with Retry instead of "busy". */
  private failures: Partial<Record<Tab, string>> = {};
  private readonly tabs: HTMLElement;
  private readonly body: HTMLElement;

  constructor(
    host: HTMLElement,
    private readonly actions: WorkbenchActions,
  ) {
    this.tabs = el('div', 'wb-tabs');
    this.tabs.setAttribute('role', 'tablist');
    this.body = el('div', 'wb-body');
    this.body.setAttribute('role', 'tabpanel');
    // The button sits beside the tab list, not in it: a tablist holds only tabs.
    const bar = el('div', 'wb-bar');
    bar.append(
      this.tabs,
      button(
        'Compare with…',
        'wb-compare secondary',
        () => this.actions.compare(),
        'Compare with another snapshot of the same process',
      ),
    );
    host.replaceChildren(bar, this.body);
  }

  show(msg: ShowWorkbenchMessage): void {
    this.suspects = msg.suspects;
    this.summary = msg.summary;
    this.root = msg.dominators;
    this.rows.clear();
    this.expanded = new Set([msg.dominators.id]);
    this.index(msg.dominators);
    this.comparison = undefined;
    this.attributions = {};
    this.waste = undefined;
    this.asked.clear();
    this.failures = {};
    this.tab = 'suspects';
    this.render();
  }

  attributed(a: Attribution): void {
    this.attributions[a.by] = a;
    this.asked.delete(`attribution:${a.by}`);
    if (this.tab === 'attribution') this.render();
    announce(`${formatCount(a.rows.length)} ${a.by === 'package' ? 'packages' : 'files'} own the heap.`);
  }

  summarized(rows: SummaryRow[]): void {
    this.summary = rows;
    this.asked.delete('summary');
    if (this.tab === 'summary') this.render();
  }

  wasted(w: WasteReport): void {
    this.waste = w;
    this.asked.delete('waste');
    if (this.tab === 'waste') this.render();
    announce(`${formatBytes(w.totalWasted)} could be saved.`);
  }

  /** The host's answer when a tab's question failed (the worker died, ran out of memory, …). */
  failed(request: string, message: string): void {
    const tab: Tab | undefined =
      request === 'attribution'
        ? 'attribution'
        : request === 'waste'
          ? 'waste'
          : request === 'summaryRows'
            ? 'summary'
            : undefined;
    if (!tab) return;
    for (const key of [...this.asked])
      if (key.split(':')[0] === (tab === 'summary' ? 'summary' : tab)) this.asked.delete(key);
    this.failures[tab] = message;
    if (this.tab === tab) this.render();
  }

  compared(msg: ShowComparisonMessage): void {
    this.comparison = msg;
    this.tab = 'comparison';
    this.render();
    this.tabs.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  /** The host's answer to an expansion: the row with its children. */
  children(row: DominatorRow): void {
    const known = this.rows.get(row.id);
    if (known) known.children = row.children ?? [];
    if (known && row.moreChildren !== undefined) known.moreChildren = row.moreChildren;
    this.index(row);
    this.expanded.add(row.id);
    if (this.tab === 'dominators') this.render(row.id);
  }

  private index(row: DominatorRow): void {
    this.rows.set(row.id, row);
    row.children?.forEach((c) => this.index(c));
  }

  private render(focusId?: number): void {
    const labels: Record<Tab, string> = {
      suspects: `Suspects (${this.suspects.length})`,
      dominators: 'Dominator tree',
      summary: 'Summary',
      attribution: 'Attribution',
      waste: 'Waste',
      comparison: 'Comparison',
    };
    const order: Tab[] = ['suspects', 'dominators', 'summary', 'attribution', 'waste'];
    if (this.comparison) order.push('comparison');
    this.tabs.replaceChildren(
      ...order.map((t, i) => {
        const b = button(labels[t], t === this.tab ? 'wb-tab selected' : 'wb-tab', () => this.select(t));
        b.setAttribute('role', 'tab');
        b.id = `wb-tab-${t}`;
        b.setAttribute('aria-selected', String(t === this.tab));
        b.tabIndex = t === this.tab ? 0 : -1;
        b.addEventListener('keydown', (e) => {
          const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
          if (!step) return;
          e.preventDefault();
          this.select(order[(i + step + order.length) % order.length]);
          this.tabs.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
        });
        return b;
      }),
    );
    this.body.setAttribute('aria-labelledby', `wb-tab-${this.tab}`);
    const failure = this.failures[this.tab];
    if (failure !== undefined) {
      this.body.replaceChildren(
        ...failedView(failure, () => {
          delete this.failures[this.tab];
          this.render();
        }),
      );
    } else if (this.tab === 'suspects') this.renderSuspects();
    else if (this.tab === 'dominators') this.renderTree(focusId);
    else if (this.tab === 'summary') this.renderSummary();
    else if (this.tab === 'attribution') this.renderAttribution();
    else if (this.tab === 'waste') {
      if (!this.waste) this.ask('waste', () => this.actions.waste());
      this.body.replaceChildren(...wasteView(this.waste, this.actions.open));
    } else if (this.comparison)
      this.body.replaceChildren(...comparisonView(this.comparison, this.actions.open));
  }

  /** Each question goes to the host once until it answers. */
  private ask(key: string, send: () => void): void {
    if (this.asked.has(key)) return;
    this.asked.add(key);
    send();
  }

  private renderAttribution(): void {
    const by = this.attributionBy;
    if (!this.attributions[by]) this.ask(`attribution:${by}`, () => this.actions.attribution(by));
    this.body.replaceChildren(
      ...attributionView(this.attributions[by], by, {
        open: this.actions.open,
        by: (key) => {
          this.attributionBy = key;
          this.renderAttribution();
          this.body.querySelector<HTMLElement>(`[data-by="${key}"]`)?.focus();
        },
      }),
    );
  }

  private select(t: Tab): void {
    this.tab = t;
    this.render();
  }

  private renderSuspects(): void {
    this.body.replaceChildren(suspectsView(this.suspects, this.actions.open));
  }

  private renderTree(focusId?: number): void {
    const tree = el('ul', 'wb-tree');
    tree.setAttribute('role', 'tree');
    tree.setAttribute('aria-label', 'Dominator tree, children by retained size');
    const items: HTMLElement[] = [];
    const add = (row: DominatorRow, level: number): void => {
      const li = el('li', 'wb-node');
      li.setAttribute('role', 'treeitem');
      li.setAttribute('aria-level', String(level));
      li.tabIndex = -1;
      li.dataset.id = String(row.id);
      const open = row.childCount > 0 && this.expanded.has(row.id) && row.children !== undefined;
      if (row.childCount > 0) li.setAttribute('aria-expanded', String(open));
      li.style.paddingLeft = `${(level - 1) * 14}px`;
      const twisty = el('span', 'wb-twisty', row.childCount === 0 ? ' ' : open ? '▾' : '▸');
      twisty.setAttribute('aria-hidden', 'true');
      twisty.addEventListener('click', (e) => {
        e.stopPropagation();
        this.toggle(row);
      });
      const edge = row.edge !== undefined ? `${escapeVisible(row.edge)}: ` : '';
      li.append(
        twisty,
        el('span', 'wb-name', `${edge}${escapeVisible(row.name)}`),
        el('span', 'leak-size', `${formatBytes(row.retainedSize)} · ${(row.share * 100).toFixed(1)}%`),
      );
      li.addEventListener('click', () => this.actions.open(row.id));
      li.addEventListener('keydown', (e) => this.treeKey(e, row, li, items));
      tree.append(li);
      items.push(li);
      if (open) {
        row.children!.forEach((c) => add(c, level + 1));
        if (row.moreChildren)
          tree.append(el('li', 'muted wb-more', `… ${formatCount(row.moreChildren)} more`));
      }
    };
    if (this.root) add(this.root, 1);
    this.body.replaceChildren(tree);
    const focus = items.find((li) => li.dataset.id === String(focusId ?? this.root?.id)) ?? items[0];
    if (focus) {
      focus.tabIndex = 0;
      if (focusId !== undefined) focus.focus();
    }
  }

  private toggle(row: DominatorRow): void {
    if (row.childCount === 0) return;
    if (this.expanded.has(row.id) && row.children !== undefined) {
      this.expanded.delete(row.id);
      this.render(row.id);
    } else if (row.children !== undefined) {
      this.expanded.add(row.id);
      this.render(row.id);
    } else {
      announce(`Loading the children of ${row.name}.`);
      this.actions.expand(row.id);
    }
  }

  private treeKey(e: KeyboardEvent, row: DominatorRow, li: HTMLElement, items: HTMLElement[]): void {
    const at = items.indexOf(li);
    const move = (to: number): void => {
      const next = items[Math.max(0, Math.min(items.length - 1, to))];
      li.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    };
    const open = this.expanded.has(row.id) && row.children !== undefined;
    switch (e.key) {
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'ArrowUp':
        move(at - 1);
        break;
      case 'ArrowRight':
        if (!open) this.toggle(row);
        else move(at + 1);
        break;
      case 'ArrowLeft':
        if (open) this.toggle(row);
        break;
      case 'Enter':
      case ' ':
        this.actions.open(row.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private renderSummary(): void {
    const summary = this.summary;
    if (!summary) {
      this.ask('summary', () => this.actions.summary());
      this.body.replaceChildren(busy('Counting every class by where it is defined…'));
      return;
    }
    const box = el('input', 'wb-filter');
    box.type = 'search';
    box.placeholder = 'Filter classes';
    box.setAttribute('aria-label', 'Filter classes');
    box.value = this.filter;
    const table = el('table', 'wb-summary');
    const fill = (): void => {
      const needle = this.filter.toLowerCase();
      const rows = summary
        .filter((r) => r.label.toLowerCase().includes(needle))
        .sort((x, y) => y[this.sort] - x[this.sort]);
      const head = el('tr');
      head.append(el('th', 'wb-class', 'Class'), el('th', undefined, 'Paths'));
      for (const [key, label] of [
        ['count', 'Count'],
        ['selfSize', 'Self'],
        ['retainedSize', 'Retained'],
      ] as [SortKey, string][]) {
        const th = el('th');
        th.setAttribute('aria-sort', key === this.sort ? 'descending' : 'none');
        th.append(
          button(label, 'wb-sort', () => {
            this.sort = key;
            fill();
            table.querySelector<HTMLElement>(`[data-sort="${key}"]`)?.focus();
          }),
        );
        (th.firstChild as HTMLElement).dataset.sort = key;
        head.append(th);
      }
      const body = rows.slice(0, 300).map((r) => {
        const tr = el('tr');
        const name = el('td', 'wb-class');
        name.append(button(escapeVisible(r.label), 'wb-row', () => this.actions.open(r.largestId)));
        const merge = el('td');
        const b = button('merged', 'wb-merge secondary', () => this.actions.merged(r.largestId));
        b.setAttribute(
          'aria-label',
          `Merged shortest paths of every ${escapeVisible(r.label)} to the GC roots`,
        );
        b.title = 'Merge the shortest paths of all these objects into one tree, drawn in the graph';
        merge.append(b);
        tr.append(
          name,
          merge,
          el('td', 'num', formatCount(r.count)),
          el('td', 'num', formatBytes(r.selfSize)),
          el('td', 'num', formatBytes(r.retainedSize)),
        );
        return tr;
      });
      table.replaceChildren(head, ...body);
      announce(`${formatCount(rows.length)} classes`);
    };
    box.addEventListener('input', () => {
      this.filter = box.value;
      fill();
    });
    fill();
    this.body.replaceChildren(box, table);
  }
}
