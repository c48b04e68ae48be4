// The picture of why objects are alive: several retainer paths merged into one layered
// graph (shared nodes drawn once), in the plain JSON the webview draws.

import { HeapAnalysis } from './graph/analysis';
import { RetainerPath, retainerPathAvoiding, retainerPaths, trimRoot } from './paths';
import { GraphEdge, GraphNode, RetainerGraph } from './report';
import { foldPath } from './leaks/fold';
import { className, edgeKind, edgeLabel, nodeKind, nodeLabel, valuePreview } from './describe';

export interface RetainerGraphOptions {
  /** How many distinct paths per target. */
  paths: number;
  /** Node ordinals a person asked to ignore ("ignore this retainer"). */
  ignored: number[];
  /** Past this many nodes the graph is cut, keeping the first (shortest) paths. */
  maxNodes: number;
  /** Snapshot ids to ignore, resolved by AnalysedSnapshot. */
  ignoredIds?: number[];
  /** Distances that paths follow (the hunt's skip its harness); the snapshot's by default. */
  distance?: Int32Array;
  /** "Why is this alive?" while paused: leave out the pause's own roots (stack, debugger). */
  excludeStack?: boolean;
  /** While paused, with the stack paths shown: still leave out the inspector's own handles. */
  excludeInspector?: boolean;
  /** Edges paths never take, one byte per edge (the inspector's handles, core/pause.ts). */
  skipped?: Uint8Array;
  /** Nodes paths never enter (the pause's roots, with `excludeStack`). */
  avoided?: number[];
  /** Node's plumbing folded into the step it stands for ("module books.js"): the default view. */
  folded?: boolean;
}

export function buildRetainerGraph(
  a: HeapAnalysis,
  targets: number[],
  options: RetainerGraphOptions,
): RetainerGraph {
  const nodes = new Map<number, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const ignored = new Set(options.ignored);
  let hidden = 0;
  const key = (o: number): string => String(a.snapshot.nodeId[o]);
  const addNode = (o: number, target: boolean): void => {
    const existing = nodes.get(o);
    if (existing) {
      if (target) existing.target = true;
      return;
    }
    nodes.set(o, {
      key: key(o),
      id: a.snapshot.nodeId[o],
      kind: nodeKind(a, o),
      name: nodeLabel(a, o),
      preview: valuePreview(a, o),
      selfSize: a.selfSize[o],
      retainedSize: a.retainedSize[o],
      distance: a.distance[o],
      ...(target ? { target: true } : {}),
    });
  };
  const pathsOf = (t: number, around: Set<number>): RetainerPath[] =>
    (around.size > 0
      ? [
          retainerPathAvoiding(a, t, new Set([...around, ...(options.avoided ?? [])]), options.skipped),
        ].filter((p): p is RetainerPath => p !== null)
      : retainerPaths(a, t, options.paths, options.distance, options.skipped)
    ).map((p) => trimRoot(a, p));
  for (const t of targets) {
    const paths = pathsOf(t, options.folded ? foldedIgnores(a, t, options.ignored, pathsOf) : ignored);
    addNode(t, true);
    for (const p of paths) {
      const fresh = p.nodes.filter((o) => !nodes.has(o)).length;
      if (nodes.size + fresh > options.maxNodes) {
        hidden += fresh;
        continue;
      }
      if (options.folded) {
        // The folded steps' own nodes, joined by edges labelled with what they stand for.
        const steps = foldPath(a, p);
        steps.forEach((f, i) => addNode(f.last.node, i === steps.length - 1 && f.last.node === t));
        for (let i = 1; i < steps.length; i++) {
          const f = steps[i];
          const from = key(steps[i - 1].last.node);
          const to = key(f.last.node);
          const e = p.edges[f.to - 1];
          const k = `${from}>${to}>${e}`;
          if (!edges.has(k))
            edges.set(k, {
              from,
              to,
              kind: f.to > f.from ? 'property' : edgeKind(a, e),
              label: f.label || edgeLabel(a, e, p.nodes[f.to - 1]),
            });
        }
        continue;
      }
      p.nodes.forEach((o, i) => addNode(o, i === p.nodes.length - 1 && o === t));
      p.edges.forEach((e, i) => {
        const from = key(p.nodes[i]);
        const to = key(p.nodes[i + 1]);
        const k = `${from}>${to}>${e}`;
        if (!edges.has(k))
          edges.set(k, { from, to, kind: edgeKind(a, e), label: edgeLabel(a, e, p.nodes[i]) });
      });
    }
    const node = nodes.get(t)!;
    const retainerCount = a.retainers.firstRetainer[t + 1] - a.retainers.firstRetainer[t];
    const drawn = [...edges.values()].filter((e) => e.to === node.key).length;
    if (retainerCount > drawn) node.moreRetainers = retainerCount - drawn;
  }
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    ...(hidden > 0 ? { truncated: { hiddenNodes: hidden } } : {}),
  };
}

/**
 * "Ignore this retainer" on a folded step means the raw objects it stands for too (the module's
 * Module object, the links of a repeated run), not only the one drawn. (A closure variable's
 * step ends at the variable's value, which is what is ignored: its scope's other variables stay.)
 * Each ignored node is looked up in the graph the person saw when they ignored it: the one
 * drawn around the nodes ignored before it.
 */
function foldedIgnores(
  a: HeapAnalysis,
  t: number,
  ignoredInOrder: number[],
  pathsOf: (t: number, around: Set<number>) => RetainerPath[],
): Set<number> {
  const out = new Set<number>();
  for (const x of ignoredInOrder) {
    for (const p of pathsOf(t, out))
      for (const f of foldPath(a, p)) {
        if (f.last.node !== x || (f.kind !== 'module' && f.kind !== 'repeat')) continue;
        for (let i = f.from; i < f.to; i++) {
          const n = p.nodes[i];
          // A module step starts at the global object: only its Module object is the module's.
          if (f.kind === 'repeat' || className(a, n) === 'Module') out.add(n);
        }
      }
    out.add(x);
  }
  out.delete(t);
  return out;
}
