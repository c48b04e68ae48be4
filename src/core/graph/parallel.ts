// Analysis on two threads, as Chrome DevTools does it: a second thread builds the retainers
// and the dominator tree while this one folds shallow sizes and measures distances. The
// graph is shared memory, so nothing is copied between them. Same code, same results as
// analyze(); small snapshots (where a thread costs more than it saves) are analysed on this
// thread.
//
// The dominator search is the longest step and needs the essential edges first, so the
// dominator thread starts as soon as "edges" is read (loadAndAnalyze, the parser's onGraph):
// while this thread still reads the strings, it marks what the page owns and picks the
// essential edges (graph/essential.ts); the two rules that need text arrive with the
// strings. Then it searches from the root while this thread builds the retainers, which
// the rest of the search needs. Given a parsed snapshot instead, this thread does the
// marking and the picking while the other builds the retainers.

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { HeapSnapshot, SelfSizes } from '../snapshot';
import { SnapshotError } from '../errors';
import { loadSnapshotFile, LoadOptions } from '../load';
import type { ParsedGraph } from '../parse/build';
import type { SnapshotHeader } from '../header';
import type { EdgeJob, EdgeJobReply } from '../parse/edgeSplit';
import { analyze, AnalysisOptions, AnalysisPhase, HeapAnalysis } from './analysis';
import { kindsOf } from './kinds';
import { domTreeRoots, essentialEdges, markPageOwned, reassignShallowSizes, WeakMapEdgeNames } from './rules';
import { computeDistances } from './distances';
import { ownedBytes, type EdgeGraph, type EdgeKinds, type WeakMapTableList } from './essential';
import { allocateRetainers, buildRetainersFrom, Retainers } from './retainers';
import { helpHubs, type HubHelp } from './hubHelp';

export interface GraphRequest {
  type: 'graph';
  graph: EdgeGraph;
  kinds: EdgeKinds;
  /** Whether the thread marks page ownership and picks essential edges itself. */
  rules: boolean;
  /** The snapshot's edgeOwnerBlocks, when the snapshot exists already (not with `rules`). */
  edgeOwners?: Uint32Array;
}

export type DominatorMessage =
  /** Before the graph, on a load that parses with two threads: the edge thread's part. */
  | EdgeJob
  | GraphRequest
  /**
   * With `rules`: what the strings add to them, and room for the retainers, which this
   * thread builds meanwhile; `ready[0]` becomes 1 when they are built.
   */
  | {
      type: 'strings';
      domTreeRoots: number[];
      weakMaps: WeakMapTableList;
      retainers: Retainers;
      ready: Int32Array;
      /** The snapshot's edgeOwnerBlocks. */
      edgeOwners: Uint32Array;
    }
  /** Without `rules`: them. */
  | { type: 'flags'; pageOwned: Uint8Array; essential: Uint8Array }
  | { type: 'sizes'; selfSize: SelfSizes };

export type DominatorReply =
  /** To the parse's EdgeThread, which listens on the same worker. */
  | EdgeJobReply
  | { type: 'retainers'; retainers: Retainers }
  | { type: 'flags'; pageOwned: Uint8Array; essential: Uint8Array }
  /** The DFS is done: the semidominator step starts, and this thread may help (hubHelp.ts). */
  | { type: 'search'; help: HubHelp }
  | { type: 'done'; idom: Uint32Array; retainedSize: Float64Array }
  | { type: 'error'; message: string };

export interface ParallelOptions extends AnalysisOptions {
  /** Below this many nodes, one thread is faster. */
  minNodes?: number;
  threadPath?: string;
  /** A dominator thread already given the graph (loadAndAnalyze). */
  thread?: DominatorThread | null;
  /** Zeroed, one slot a node: this thread's scratch, if made before (loadAndAnalyze lent it to the reads). */
  scratch?: Uint32Array | null;
}

/** Below this many nodes, one thread is faster (ParallelOptions.minNodes by default). */
export const PARALLEL_MIN_NODES = 100_000;
const DEFAULT_MIN_NODES = PARALLEL_MIN_NODES;
const defaultThreadPath = (): string => path.join(__dirname, 'dominatorThread.js');

/**
 * A dominator thread booted before there is a graph to give it (for startDominatorThread's
 * `started`), or null where the thread's file is missing. Its caller ends it if it is never used.
 */
export function bootDominatorThread(threadPath = defaultThreadPath()): DominatorThread | null {
  return fs.existsSync(threadPath) ? new DominatorThread(threadPath) : null;
}

function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

function edgeKinds(edgeTypes: string[]): EdgeKinds {
  const at = (name: string): number => edgeTypes.indexOf(name);
  return { eElement: at('element'), eInternal: at('internal'), eShortcut: at('shortcut'), eWeak: at('weak') };
}

function graphOf(s: EdgeGraph): EdgeGraph {
  const { nodeCount, rootOrdinal, firstEdge, edgeTarget, edgeType, edgeNameOrIndex, nodeId } = s;
  return { nodeCount, rootOrdinal, firstEdge, edgeTarget, edgeType, edgeNameOrIndex, nodeId };
}

/** Whether a graph of this size, in this memory, is worth (and able to go to) a second thread. */
function threadable(g: EdgeGraph, minNodes: number, threadPath: string): boolean {
  return (
    g.nodeCount >= minNodes &&
    [g.firstEdge, g.edgeTarget, g.edgeType, g.edgeNameOrIndex, g.nodeId].every(isShared) &&
    fs.existsSync(threadPath)
  );
}

/** This thread's side of the dominator thread: messages out, replies awaited by type. */
export class DominatorThread {
  /** Also the host of the parse's edge thread (LoadOptions.edgeHost), before the graph. */
  readonly worker: Worker;
  private readonly replies: DominatorReply[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  /** Whether the thread has the graph and works out the flags itself. */
  hasGraph = false;

  constructor(threadPath: string) {
    this.worker = new Worker(threadPath, { resourceLimits: { maxOldGenerationSizeMb: 16000 } });
    this.worker.on('message', (m: DominatorReply) => {
      if (m.type === 'edges') return;
      this.replies.push(m);
      this.wake?.();
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      this.wake?.();
    });
    this.worker.on('exit', (code) => {
      if (code !== 0) this.failure ??= new Error(`the dominator thread stopped (exit code ${code})`);
      this.wake?.();
    });
  }

  send(m: DominatorMessage): void {
    if (m.type === 'graph') this.hasGraph = m.rules;
    this.worker.postMessage(m);
  }

  async expect<T extends DominatorReply['type']>(type: T): Promise<Extract<DominatorReply, { type: T }>> {
    for (;;) {
      const i = this.replies.findIndex((r) => r.type === type || r.type === 'error');
      if (i >= 0) {
        const r = this.replies.splice(i, 1)[0];
        if (r.type === 'error') throw new Error(`dominator thread: ${r.message}`);
        return r as Extract<DominatorReply, { type: T }>;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}

export interface LoadAndAnalyzeOptions extends LoadOptions, ParallelOptions {
  /** Files at least this big start the dominator thread with the parse (default 16 MiB). */
  earlyStartBytes?: number;
  /** Told when the parse is done and the analysis starts. */
  onParsed?: (s: HeapSnapshot) => void;
}

/**
 * For a parser's onGraph: starts the dominator thread on the graph just read, if it is worth
 * a thread; null if not. Whoever starts it ends it: analyzeParallel(s, { thread }) does, and
 * so must a caller whose parse fails before that. `started` is a thread started earlier,
 * not yet given anything: it is used, or ended when the graph is not worth it.
 */
export function startDominatorThread(
  g: ParsedGraph,
  options: ParallelOptions = {},
  started: DominatorThread | null = null,
): DominatorThread | null {
  const threadPath = options.threadPath ?? defaultThreadPath();
  if (!threadable(g, options.minNodes ?? DEFAULT_MIN_NODES, threadPath)) {
    void started?.terminate();
    return null;
  }
  const thread = started ?? new DominatorThread(threadPath);
  thread.send({ type: 'graph', graph: graphOf(g), kinds: edgeKinds(g.edgeTypes), rules: true });
  return thread;
}

// From this size on a file's graph is nearly always worth the thread, so it is started with
// the parse: it is ready, not booting, the moment "edges" is read.
const EARLY_START_BYTES = 16 << 20;

/** Loads a snapshot file and analyses it, the dominator thread starting before the strings are read. */
export async function loadAndAnalyze(
  file: string,
  options: LoadAndAnalyzeOptions = {},
): Promise<HeapAnalysis> {
  const threadPath = options.threadPath ?? defaultThreadPath();
  let early =
    fs.statSync(file).size >= (options.earlyStartBytes ?? EARLY_START_BYTES) && fs.existsSync(threadPath)
      ? new DominatorThread(threadPath)
      : null;
  let thread: DominatorThread | null = null;
  const onGraph = (g: ParsedGraph): void => {
    options.onGraph?.(g);
    thread = startDominatorThread(g, options, early);
    early = null;
  };
  // The reads after the header go into the first MiB of this thread's node-sized scratch,
  // whose pages the analysis touches anyway; zeroed after, it is what a new array would be.
  let scratch: Uint32Array | null = null;
  let lent: Buffer | null = null;
  const readBuffer = (h: SnapshotHeader, bytes: number): Buffer | null => {
    if (h.nodeCount * 4 < bytes) return null;
    scratch = new Uint32Array(h.nodeCount);
    return (lent = Buffer.from(scratch.buffer, 0, bytes));
  };
  try {
    const snapshot = await loadSnapshotFile(file, {
      ...options,
      onGraph,
      edgeHost: early?.worker,
      readBuffer,
    });
    (lent as Buffer | null)?.fill(0);
    options.onParsed?.(snapshot);
    return await analyzeParallel(snapshot, { ...options, thread, scratch });
  } finally {
    await early?.terminate();
    await (thread as DominatorThread | null)?.terminate();
  }
}

export async function analyzeParallel(s: HeapSnapshot, options: ParallelOptions = {}): Promise<HeapAnalysis> {
  const threadPath = options.threadPath ?? defaultThreadPath();
  let thread = options.thread ?? null;
  const usable =
    thread !== null ||
    (threadable(s, options.minNodes ?? DEFAULT_MIN_NODES, threadPath) && isShared(s.nodeSelfSize));
  if (!usable) return analyze(s, options);

  const step = (phase: AnalysisPhase): void => {
    if (options.isCancelled?.()) throw new SnapshotError('cancelled', 'analysis was cancelled', -1);
    options.onPhase?.(phase);
  };
  thread ??= new DominatorThread(threadPath);
  try {
    const kinds = kindsOf(s);
    const weakMapNames = new WeakMapEdgeNames(s.strings);
    // One node-sized array: the marking's stack, the fold's owners, then the distances.
    const given = options.scratch;
    const scratch = given?.length === s.nodeCount ? given : new Uint32Array(s.nodeCount);
    step('retainers');
    step('flags');
    let ownFlags: { pageOwned: Uint8Array; essential: Uint8Array } | null = null;
    let ownRetainers: Retainers | null = null;
    if (thread.hasGraph) {
      // The other thread has marked and picked on its own; it searches from the root while
      // this one builds the retainers it needs next.
      const retainers = allocateRetainers(s.nodeCount, s.edgeCount, true);
      const ready = new Int32Array(new SharedArrayBuffer(4));
      const weakMaps = weakMapNames.list();
      thread.send({
        type: 'strings',
        domTreeRoots: domTreeRoots(s, kinds),
        weakMaps,
        retainers,
        ready,
        edgeOwners: s.edgeOwnerBlocks,
      });
      ownRetainers = buildRetainersFrom(s.nodeCount, s.edgeTarget, true, retainers);
      Atomics.store(ready, 0, 1);
      Atomics.notify(ready, 0);
    } else {
      thread.send({ type: 'graph', graph: graphOf(s), kinds, rules: false, edgeOwners: s.edgeOwnerBlocks });
      const pageOwned = markPageOwned(
        s,
        kinds,
        scratch,
        new Uint8Array(new SharedArrayBuffer(ownedBytes(s.nodeCount))),
      );
      const bits = new Uint8Array(new SharedArrayBuffer((s.edgeCount + 7) >>> 3));
      ownFlags = { pageOwned, essential: essentialEdges(s, kinds, pageOwned, weakMapNames, bits) };
      thread.send({ type: 'flags', ...ownFlags });
    }
    step('shallow sizes');
    reassignShallowSizes(s, kinds, scratch);
    thread.send({ type: 'sizes', selfSize: s.nodeSelfSize });
    step('distances');
    // The scratch becomes the distances.
    const distance = computeDistances(s, kinds, weakMapNames, undefined, new Int32Array(scratch.buffer));
    step('dominators');
    const flags = ownFlags ?? (await thread.expect('flags'));
    const retainers = ownRetainers ?? (await thread.expect('retainers')).retainers;
    // Its own share done, this thread looks up the hubs' retainers for the other's
    // semidominator step (hubHelp.ts), rather than wait.
    const { help } = await thread.expect('search');
    helpHubs(help, s.firstEdge, s.edgeOwnerBlocks, retainers, flags.essential);
    step('retained sizes');
    const { idom, retainedSize } = await thread.expect('done');
    return {
      snapshot: s,
      kinds,
      retainers,
      selfSize: s.nodeSelfSize,
      retainedSize,
      idom,
      distance,
      pageOwned: flags.pageOwned,
      essential: flags.essential,
      weakMapNames,
    };
  } finally {
    await thread.terminate();
  }
}
