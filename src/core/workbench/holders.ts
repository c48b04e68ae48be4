// Naming what holds a suspect, in the words of the hunt's explanations: "the Map
// `catalogue`, a variable of module catalogue.js", "the array `queue` exported by module
// jobs.js", "the global `cache`". Read from the holder's shortest retainer path.

import { HeapAnalysis } from '../graph/analysis';
import { RetainerPath, trimRoot } from '../paths';
import { className, nodeLabel } from '../describe';
import { RetainerStep } from '../report';
import { ScriptIndex } from './scripts';

export interface HolderText {
  /** "the Map `catalogue`" */
  what: string;
  /** ", a variable of module catalogue.js" (may be empty). */
  where: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
/**
 * Owners named in one sentence at most ("a property of the X `a`, a property of …"): a
 * linked list's 20,000 links would otherwise recurse 20,000 deep (a stack overflow) into a
 * sentence nobody reads.
 */
const MAX_OWNERS = 5;

export function describeHolder(
  a: HeapAnalysis,
  scripts: ScriptIndex,
  n: number,
  path: RetainerPath | null,
  depth = 0,
): HolderText {
  const cls = holderClass(a, n);
  const s = a.snapshot;
  if (!path || path.nodes.length < 2 || depth >= MAX_OWNERS) return { what: `the ${cls}`, where: '' };
  const last = path.nodes.length - 1;
  const e = path.edges[last - 1];
  const from = path.nodes[last - 1];
  const edgeType = s.edgeTypeName(e);
  const name = s.edgeNameString(e);
  // A function reached by its own name ("the function `f`"): the name is said once.
  if (s.nodeType[n] === a.kinds.closure && name === s.nodeNameString(n)) {
    const owner = describeHolder(
      a,
      scripts,
      from,
      { nodes: path.nodes.slice(0, last), edges: path.edges.slice(0, last - 1) },
      depth + 1,
    );
    return {
      what: `the ${cls}`,
      where:
        owner.what === 'the ' + className(a, from) && !owner.where
          ? ''
          : `, a property of ${owner.what}${owner.where}`,
    };
  }
  if (edgeType === 'context')
    return {
      what: `the ${cls} \`${name}\``,
      where: `, a variable of ${moduleOfContext(a, scripts, path, last - 1)}`,
    };
  if (edgeType === 'property' || edgeType === 'shortcut') {
    const named = IDENT.test(name) ? `\`${name}\`` : `\`[${JSON.stringify(name)}]\``;
    const owner = className(a, from);
    if (owner === 'global' || owner.startsWith('global') || owner === 'Window')
      return { what: `the ${cls} ${named}`, where: ', a global' };
    if (isModuleExports(a, path, last - 1))
      return { what: `the ${cls} ${named}`, where: ` exported by ${moduleFromRegistry(a, path, last - 1)}` };
    return {
      what: `the ${cls} ${named}`,
      where: `, a property of ${ownerText(a, scripts, path, last - 1, depth + 1)}`,
    };
  }
  if (edgeType === 'element' || edgeType === 'hidden' || edgeType === 'internal') {
    // An entry of a collection: name the collection above it instead.
    for (let i = last - 1; i > 0; i--) {
      const up = path.nodes[i];
      const upClass = className(a, up);
      if (
        ['Map', 'Set', 'Array', 'WeakMap', 'Object'].includes(upClass) ||
        s.nodeTypeName(up) === 'closure'
      ) {
        const inner = describeHolder(
          a,
          scripts,
          up,
          { nodes: path.nodes.slice(0, i + 1), edges: path.edges.slice(0, i) },
          depth + 1,
        );
        return { what: `the ${cls}`, where: ` held in ${inner.what}${inner.where}` };
      }
    }
  }
  return { what: `the ${cls}`, where: '' };
}

function holderClass(a: HeapAnalysis, n: number): string {
  const s = a.snapshot;
  if (s.nodeType[n] === a.kinds.closure) return `function \`${s.nodeNameString(n) || '(anonymous)'}\``;
  return className(a, n);
}

function ownerText(
  a: HeapAnalysis,
  scripts: ScriptIndex,
  path: RetainerPath,
  i: number,
  depth: number,
): string {
  const inner = describeHolder(
    a,
    scripts,
    path.nodes[i],
    { nodes: path.nodes.slice(0, i + 1), edges: path.edges.slice(0, i) },
    depth,
  );
  return `${inner.what}${inner.where}`;
}

/** A context variable's module: the script of a closure that holds that context. */
function moduleOfContext(a: HeapAnalysis, scripts: ScriptIndex, path: RetainerPath, ctxAt: number): string {
  const script = contextScript(a, scripts, path, ctxAt);
  return script ? `module ${baseName(script)}` : 'a closure';
}

function contextScript(a: HeapAnalysis, scripts: ScriptIndex, path: RetainerPath, ctxAt: number): string {
  const ctx = path.nodes[ctxAt];
  const candidates: number[] = [];
  if (ctxAt > 0) candidates.push(path.nodes[ctxAt - 1]);
  const { firstRetainer, retainerEdge } = a.retainers;
  for (let i = firstRetainer[ctx]; i < firstRetainer[ctx + 1] && candidates.length < 16; i++)
    candidates.push(a.snapshot.edgeOwner(retainerEdge[i]));
  for (const c of candidates) {
    if (a.snapshot.nodeType[c] !== a.kinds.closure) continue;
    const l = scripts.locationOf(c);
    if (l?.script) return l.script;
  }
  return '';
}

/**
 * The script whose code owns the object at the end of `path`: that of the nearest closure or
 * closure context above it. Node's own modules are named `node:…`.
 */
export function ownerScript(a: HeapAnalysis, scripts: ScriptIndex, path: RetainerPath): string {
  const s = a.snapshot;
  for (let i = path.nodes.length - 2; i >= 0; i--) {
    if (s.edgeType[path.edges[i]] === a.kinds.eContext) {
      const script = contextScript(a, scripts, path, i);
      if (script) return script;
    }
    const n = path.nodes[i];
    if (s.nodeType[n] === a.kinds.closure) {
      const l = scripts.locationOf(n);
      if (l?.script) return l.script;
    }
  }
  return '';
}

function isModuleExports(a: HeapAnalysis, p: RetainerPath, i: number): boolean {
  return (
    i >= 1 &&
    a.snapshot.edgeNameString(p.edges[i - 1]) === 'exports' &&
    className(a, p.nodes[i - 1]) === 'Module'
  );
}

function moduleFromRegistry(a: HeapAnalysis, p: RetainerPath, i: number): string {
  const registryEdge = i >= 2 ? a.snapshot.edgeNameString(p.edges[i - 2]) : '';
  return registryEdge.includes('/') || registryEdge.includes('\\')
    ? `module ${baseName(registryEdge)}`
    : 'a module';
}

export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** The path as steps, GC roots first. */
export function pathSteps(a: HeapAnalysis, p: RetainerPath): RetainerStep[] {
  const t = trimRoot(a, p);
  return t.nodes.map((n, i) => ({
    edge: i === 0 ? null : a.snapshot.edgeNameString(t.edges[i - 1]),
    node: nodeLabel(a, n),
  }));
}

/** "(GC roots) → … → get() → context → catalogue → Map": the ends of a long path. */
export function foldedPath(steps: RetainerStep[], tail = 6): string {
  const parts: string[] = [];
  steps.forEach((s, i) => {
    if (steps.length > tail + 1 && i > 0 && i < steps.length - tail) {
      if (i === 1) parts.push('…');
      return;
    }
    parts.push(s.edge === null ? s.node : `${s.edge} → ${s.node}`);
  });
  return parts.join(' → ');
}
