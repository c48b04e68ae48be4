// Small DOM helpers. Text goes in as textContent only: heap strings are untrusted.

export function byId<T extends Element = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`webview: missing #${id}`);
  return el as unknown as T;
}

/**
 * An element that shows heap text (a `label` from format.ts): isolated for bidi (`dir="auto"`
 * is `unicode-bidi: isolate`, so Hebrew or Arabic inside cannot reorder what is around it),
 * with the whole text as its tooltip when the shown text was cut.
 */
export function withTooltip<T extends HTMLElement>(node: T, full: string | undefined): T {
  node.dir = 'auto';
  if (full !== undefined) node.title = full;
  return node;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(
  label: string,
  className: string,
  onClick: () => void,
  title?: string,
): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** Tell screen readers what just happened (the #announce live region). */
export function announce(text: string): void {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}
