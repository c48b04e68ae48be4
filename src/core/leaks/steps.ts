// A retainer path read in domain words: each step is the node reached and the edge that
// reached it, so explanation code says `step.via.name` and `step.isClosure`, not
// `a.snapshot.edgeNameString(p.edges[i - 1])`.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath } from '../paths';
import { className } from '../describe';

/** What naming a step needs (an analysis, or a hand-made one in tests). */
export type StepSource = Pick<HeapAnalysis, 'snapshot' | 'kinds'>;

export interface EdgeView {
  /** Edge ordinal. */
  edge: number;
  /** Property, variable or index, as V8 wrote it. */
  name: string;
  /** 'property', 'context', 'element', 'internal', 'hidden', 'shortcut', 'weak'. */
  type: string;
}

export interface PathStep {
  /** Position in the path (0 = the root). */
  at: number;
  node: number;
  /** Class as in DevTools' Summary (`Function` for closures). */
  className: string;
  /** V8's node name (a closure's function name, a string's text). */
  name: string;
  /** V8's node type ('object', 'closure', 'synthetic', …). */
  type: string;
  /** The edge into this node from the step above; null for the root. */
  via: EdgeView | null;
  isClosure: boolean;
  /** V8's closure scope (`system / Context`). */
  isContext: boolean;
}

export function pathSteps(a: StepSource, p: RetainerPath): PathStep[] {
  const s = a.snapshot;
  return p.nodes.map((node, at) => {
    const e = at > 0 ? p.edges[at - 1] : -1;
    const type = s.nodeTypeName(node);
    const name = s.nodeNameString(node);
    return {
      at,
      node,
      className: className(a, node),
      name,
      type,
      via: e < 0 ? null : { edge: e, name: s.edgeNameString(e), type: s.edgeTypeName(e) },
      isClosure: type === 'closure',
      isContext: name === 'system / Context',
    };
  });
}

/** A closure's function name as a person writes it. */
export function functionName(step: PathStep): string {
  return step.name || '(anonymous)';
}

/** The file name of a module path (`/abs/src/books.js` → `books.js`). */
export function fileBase(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** An edge name that is a file path or URL: how Node's module registry keys its modules. */
export function isModuleKey(name: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|file:|node:)/.test(name);
}
