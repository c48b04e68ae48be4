// Text as a person reads it. Everything here returns plain strings that are later put
// on the page with textContent; escaping for display means making invisible or
// confusing characters visible (newlines, quotes), not HTML-escaping.

import type { GraphNode, GraphNodeKind } from '../../../src/core/report';
import { escapeUnsafe, forWebview, type Label } from '../../../src/core/sanitize';

/** How much of a heap string a list or panel shows; the rest is in the tooltip. */
export const LABEL_MAX = 160;
/** A sentence is longer than a name but still bounded. */
export const SENTENCE_MAX = 600;

/** Untrusted text for display: escaped, cut to `max` with the whole text kept, bidi-isolated. */
export function label(raw: unknown, max = LABEL_MAX): Label {
  return forWebview(raw, max);
}

const countFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return Number.isFinite(n) ? countFormat.format(n) : '?';
}

import { formatBytes } from '../../../src/core/format';

export { formatBytes };

export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Make control and bidi characters visible so a preview never spans lines, hides or reorders text. */
export function escapeVisible(text: string): string {
  return escapeUnsafe(text);
}

/** The short value shown on a node: strings quoted, everything escaped and cut. */
export function previewText(node: GraphNode, max: number): string {
  if (node.preview === undefined || node.preview === '') return '';
  const body = escapeVisible(String(node.preview));
  return node.kind === 'string' ? `"${truncate(body, max - 2)}"` : truncate(body, max);
}

/** "× 2,000 Book" for a leak group; the class name otherwise. */
export function nodeTitle(node: GraphNode): string {
  const name = escapeVisible(String(node.name));
  return node.count !== undefined && node.count > 1 ? `× ${formatCount(node.count)} ${name}` : name;
}

export const KIND_GLYPH: Record<GraphNodeKind, string> = {
  root: '⌂',
  object: '{}',
  closure: 'ƒ',
  array: '[ ]',
  string: '“”',
  system: '⚙',
  native: '⚙',
  code: '</>',
  number: '#',
  group: '∑',
};

export const KIND_WORD: Record<GraphNodeKind, string> = {
  root: 'GC root',
  object: 'object',
  closure: 'closure',
  array: 'array',
  string: 'string',
  system: 'system object',
  native: 'native object',
  code: 'code',
  number: 'number',
  group: 'group of objects',
};

export function siteText(site: { path: string; line: number; column: number }): string {
  const file = String(site.path).split(/[\\/]/).pop() ?? site.path;
  return `${escapeVisible(file)}:${site.line}:${site.column}`;
}

/** One line that a screen reader says for a node. */
export function nodeSpeech(node: GraphNode): string {
  const parts = [`${nodeTitle(node)}, ${KIND_WORD[node.kind] ?? node.kind}`];
  const preview = previewText(node, 40);
  if (preview) parts.push(`value ${preview}`);
  parts.push(`retains ${formatBytes(node.retainedSize)}`);
  if (node.target) parts.push('the object being explained');
  if (node.moreRetainers) parts.push(`${formatCount(node.moreRetainers)} more retainers`);
  return parts.join(', ');
}
