// Everything computed once per snapshot, in dependency order. The result keeps only what
// later questions need (retainers, dominators, sizes, distances); scratch arrays die here.

import { HeapSnapshot, SelfSizes } from '../snapshot';
import { SnapshotError } from '../errors';
import { buildRetainers, Retainers } from './retainers';
import { Kinds, kindsOf } from './kinds';
import { essentialEdges, markPageOwned, reassignShallowSizes, WeakMapEdgeNames } from './rules';
import { computeDominators, retainedSizes } from './dominators';
import { computeDistances } from './distances';

export type AnalysisPhase =
  'retainers' | 'flags' | 'shallow sizes' | 'dominators' | 'retained sizes' | 'distances';

export interface AnalysisOptions {
  onPhase?: (phase: AnalysisPhase) => void;
  /** Checked between phases; throw-free cancellation for callers on the same thread. */
  isCancelled?: () => boolean;
}

export interface HeapAnalysis {
  snapshot: HeapSnapshot;
  kinds: Kinds;
  retainers: Retainers;
  /**
   * Self sizes as DevTools shows them (single-owner internals folded into their owner).
   * The same array as snapshot.nodeSelfSize: analysis adjusts it in place.
   */
  selfSize: SelfSizes;
  retainedSize: Float64Array;
  idom: Uint32Array;
  distance: Int32Array;
  /** One bit per node (isOwned in essential.ts): set when reachable from the program's global objects. */
  pageOwned: Uint8Array;
  /** One bit per edge: whether it counts toward dominance. */
  essential: Uint8Array;
  weakMapNames: WeakMapEdgeNames;
}

export function analyze(snapshot: HeapSnapshot, options: AnalysisOptions = {}): HeapAnalysis {
  const step = (phase: AnalysisPhase): void => {
    if (options.isCancelled?.()) throw new SnapshotError('cancelled', 'analysis was cancelled', -1);
    options.onPhase?.(phase);
  };
  const kinds = kindsOf(snapshot);
  step('retainers');
  const retainers = buildRetainers(snapshot);
  step('flags');
  // One node-sized array: the marking's stack, the fold's owners, then the distances.
  const scratch = new Uint32Array(snapshot.nodeCount);
  const pageOwned = markPageOwned(snapshot, kinds, scratch);
  const weakMapNames = new WeakMapEdgeNames(snapshot.strings);
  const essential = essentialEdges(snapshot, kinds, pageOwned, weakMapNames);
  step('shallow sizes');
  // Adjusted in place, as DevTools does: a second node-sized copy would raise the peak.
  reassignShallowSizes(snapshot, kinds, scratch);
  const selfSize = snapshot.nodeSelfSize;
  step('dominators');
  const dominators = computeDominators(snapshot, retainers, essential);
  step('retained sizes');
  const retainedSize = retainedSizes(dominators, selfSize, snapshot.rootOrdinal);
  step('distances');
  // The scratch becomes the distances.
  const distance = computeDistances(snapshot, kinds, weakMapNames, undefined, new Int32Array(scratch.buffer));
  return {
    snapshot,
    kinds,
    retainers,
    selfSize,
    retainedSize,
    idom: dominators.idom,
    distance,
    pageOwned,
    essential,
    weakMapNames,
  };
}

/**
 * Bytes of the typed arrays a loaded snapshot keeps (its columns and every analysis result):
 * the floor under the process's memory, against which the bench reports peak RSS.
 */
export function typedArrayBytes(a: HeapAnalysis): number {
  const seen = new Set<ArrayBufferView>();
  const add = (o: object): void => {
    for (const v of Object.values(o)) if (ArrayBuffer.isView(v)) seen.add(v);
  };
  add(a.snapshot);
  add(a.snapshot.strings);
  add(a);
  add(a.retainers);
  let bytes = 0;
  for (const v of seen) bytes += v.byteLength;
  return bytes;
}
