// The ranked leak list beside the graph: one entry per leak with its sentence. The
// entries are buttons in a list (not a listbox) so each allocation site inside stays
// its own focusable link.

import type { Leak, LeakReport, SourceFrame } from '../../../src/core/report';
import { SENTENCE_MAX, escapeVisible, formatBytes, formatCount, label, siteText } from '../render/format';
import { button, el, withTooltip } from './dom';

export interface LeakListActions {
  select(index: number): void;
  openSource(site: SourceFrame): void;
}

export function renderLeakList(
  list: HTMLOListElement,
  report: LeakReport,
  selected: number,
  actions: LeakListActions,
): void {
  list.replaceChildren();
  report.leaks.forEach((leak: Leak, index) => {
    const li = el('li', index === selected ? 'leak selected' : 'leak');
    const head = button('', 'leak-select', () => actions.select(index));
    head.setAttribute('aria-pressed', String(index === selected));
    const name = label(leak.name);
    const sentence = label(leak.explanation, SENTENCE_MAX);
    head.append(
      el('span', 'leak-rank', `${index + 1}.`),
      withTooltip(el('span', 'leak-name', `× ${formatCount(leak.count)} ${name.text}`), name.full),
      el('span', 'leak-size', formatBytes(leak.retainedSize)),
    );
    li.append(head, withTooltip(el('p', 'leak-sentence', sentence.text), sentence.full));
    if (leak.growthPerIteration > 0)
      li.append(el('p', 'muted', `+${formatBytes(leak.growthPerIteration)} per iteration`));
    const sites = leak.allocationSites.slice(0, 3);
    if (sites.length > 0) {
      const p = el('p', 'leak-sites');
      p.append(el('span', 'muted', 'Allocated at '));
      sites.forEach((site, i) => {
        if (i > 0) p.append(document.createTextNode(', '));
        p.append(
          button(
            siteText(site),
            'link site-link',
            () => actions.openSource(site),
            `Open ${label(site.path, 4096).text}`,
          ),
        );
      });
      li.append(p);
      // The frame that really allocated, when the site is the user's call into a package
      // (or the `new` of a class whose constructor V8 charged).
      const inner = sites[0].allocatedIn;
      if (inner) {
        const q = el('p', 'leak-sites muted');
        const owner = inner.package ? `${escapeVisible(String(inner.package))}'s ` : '';
        q.append(
          document.createTextNode(`inside ${owner}${escapeVisible(String(inner.functionName))} at `),
          button(siteText(inner), 'link site-link', () => actions.openSource(inner), `Open ${inner.path}`),
        );
        li.append(q);
      }
    }
    list.append(li);
  });
}
