// Export the graph as a standalone SVG file. The live drawing is styled by the theme's
// CSS variables, which mean nothing outside VS Code, so the resolved colours and fonts
// are copied onto a detached clone as presentation attributes. Elements with the same
// tag and classes (and parent classes) style alike, so computed style is read once per
// such signature, which keeps a 5,000-node export fast.

import type { LayoutResult } from '../layout/layered';
import { forXml } from '../../../src/core/sanitize';

const PROPS = [
  'display',
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'stroke-linejoin',
  'marker-end',
] as const;

export function exportSvg(svg: SVGSVGElement, layout: LayoutResult): string {
  // Show everything while reading styles: no level-of-detail hiding, no hover dimming.
  const saved = svg.getAttribute('class') ?? '';
  svg.setAttribute(
    'class',
    saved
      .split(/\s+/)
      .filter((c) => !/^(lod-|has-hl|searching)/.test(c))
      .join(' '),
  );
  try {
    const clone = svg.cloneNode(true) as SVGSVGElement;
    const live = svg.querySelectorAll('*');
    const copies = clone.querySelectorAll('*');
    const cache = new Map<string, string[]>();
    live.forEach((el, i) => {
      const copy = copies[i];
      const sig = `${el.tagName}|${el.getAttribute('class') ?? ''}|${el.parentElement?.getAttribute('class') ?? ''}`;
      let values = cache.get(sig);
      if (!values) {
        const cs = getComputedStyle(el);
        values = PROPS.map((p) => cs.getPropertyValue(p));
        cache.set(sig, values);
      }
      if (values[0] === 'none') {
        copy.setAttribute('display', 'none');
        return;
      }
      PROPS.forEach((p, j) => {
        if (j > 0 && values[j] && values[j] !== 'normal') copy.setAttribute(p, values[j]);
      });
      copy.removeAttribute('tabindex');
    });
    const pad = 20;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute(
      'viewBox',
      `${-pad} ${-pad - 10} ${layout.width + 2 * pad} ${layout.height + 2 * pad + 10}`,
    );
    clone.setAttribute('width', String(Math.ceil(layout.width + 2 * pad)));
    clone.setAttribute('height', String(Math.ceil(layout.height + 2 * pad + 10)));
    clone.removeAttribute('class');
    clone.querySelector('.viewport')?.removeAttribute('transform');
    const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    bg.setAttribute('x', String(-pad));
    bg.setAttribute('y', String(-pad - 10));
    bg.setAttribute('width', '100%');
    bg.setAttribute('height', '100%');
    bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor);
    clone.insertBefore(bg, clone.firstChild);
    // XMLSerializer writes a NUL or other control character from a heap string as is, which
    // makes the file not well-formed XML; labels are escaped already, this is the last guard.
    return forXml(new XMLSerializer().serializeToString(clone));
  } finally {
    svg.setAttribute('class', saved);
  }
}
