// The second thread of a parallel analysis (see parallel.ts): page ownership and the
// essential edges when it is given the graph before the strings exist (the other thread
// then builds the retainers), else the retainers; dominators once it has those; retained
// sizes once the other thread has sent the adjusted self sizes.
// Everything arrives and leaves as shared memory.

import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { buildRetainersFrom, Retainers } from './retainers';
import { computeDominatorsFrom, LateRules, retainedSizes } from './dominators';
import {
  dropWeakMapValueEdges,
  essentialBits,
  markOwnedFrom,
  ownedBytes,
  shortcutRoots,
  WeakMapTableIndex,
} from './essential';
import type { DominatorMessage, DominatorReply } from './parallel';
import { EDGE_BLOCK, readEdgesBackward } from '../parse/edgeRun';
import { hubHelp } from './hubHelp';

const port = parentPort!;
const inbox: DominatorMessage[] = [];
let waiting: ((m: DominatorMessage) => void) | null = null;

// One listener for the whole conversation: a message that arrives before it is awaited waits here.
port.on('message', (m: DominatorMessage) => {
  if (waiting) {
    const w = waiting;
    waiting = null;
    w(m);
  } else {
    inbox.push(m);
  }
});

async function nextAny(): Promise<DominatorMessage> {
  return (
    inbox.shift() ??
    (await new Promise<DominatorMessage>((resolve) => {
      waiting = resolve;
    }))
  );
}

async function next<T extends DominatorMessage['type']>(
  type: T,
): Promise<Extract<DominatorMessage, { type: T }>> {
  const m = await nextAny();
  if (m.type !== type) throw new Error(`expected "${type}", got "${m.type}"`);
  return m as Extract<DominatorMessage, { type: T }>;
}

/** The next message if there is one, without returning to the event loop (from inside the dominator search). */
function pollNow<T extends DominatorMessage['type']>(
  type: T,
): Extract<DominatorMessage, { type: T }> | undefined {
  let m = inbox.shift();
  if (m === undefined) {
    const received: { message: DominatorMessage } | undefined = receiveMessageOnPort(port);
    m = received?.message;
    if (m === undefined) return undefined;
  }
  if (m.type !== type) throw new Error(`expected "${type}", got "${m.type}"`);
  return m as Extract<DominatorMessage, { type: T }>;
}

/** The same, waiting for it. */
function nextNow<T extends DominatorMessage['type']>(type: T): Extract<DominatorMessage, { type: T }> {
  // Nothing wakes it: a millisecond's sleep between looks.
  const nap = new Int32Array(new SharedArrayBuffer(4));
  let m = pollNow(type);
  while (m === undefined) {
    Atomics.wait(nap, 0, 0, 1);
    m = pollNow(type);
  }
  return m;
}

function reply(r: DominatorReply): void {
  port.postMessage(r);
}

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

/** The thread's node-sized scratch (n + 1 slots), made early when the edge thread's part comes first. */
let early: Uint32Array | null = null;

/** The graph, after reading the edge thread's part of "edges" if that comes first. */
async function graph(): Promise<Extract<DominatorMessage, { type: 'graph' }>> {
  const m = await nextAny();
  if (m.type === 'graph') return m;
  if (m.type !== 'edges') throw new Error(`expected "graph", got "${m.type}"`);
  // The reads go into the scratch's first MiB, whose pages the marking and the DFS touch
  // anyway: a buffer of its own would stay resident, uncollected, to the analysis' peak
  // (1 MB at s100). Zeroed afterwards, it is what a new array would be.
  early = new Uint32Array(m.data.header.nodeCount + 1);
  const lent = early.byteLength >= EDGE_BLOCK ? Buffer.from(early.buffer, 0, EDGE_BLOCK) : undefined;
  readEdgesBackward(m.data, (message) => reply({ type: 'edges', message }), lent);
  lent?.fill(0);
  return next('graph');
}

async function run(): Promise<void> {
  const { graph: g, kinds, rules, edgeOwners } = await graph();
  const n = g.nodeCount;
  // Serves the marking's stack, then the dominator search's DFS scratch.
  const scratch = early?.length === n + 1 ? early : new Uint32Array(n + 1);
  early = null;
  let essential: Uint8Array;
  let retainers: Retainers | LateRules;
  if (rules) {
    const pageOwned = new Uint8Array(shared(ownedBytes(n)));
    markOwnedFrom(g, kinds, shortcutRoots(g, kinds), pageOwned, scratch);
    essential = essentialBits(
      g,
      kinds,
      pageOwned,
      null,
      new Uint8Array(shared((g.edgeTarget.length + 7) >>> 3)),
    );
    const bits = essential;
    // The search from the root starts before the strings are read, over the edges the rules
    // pick without them, and takes the strings' two rules in as soon as they come (it looks
    // every so many vertices). Dropping an edge the search has not gone through changes
    // nothing it found (its target was numbered already, or will be some other way), so it is
    // taken up again only from where a dropped edge may be one it went through (all of it
    // when DOM trees exist).
    let more: Extract<DominatorMessage, { type: 'strings' }> | undefined;
    retainers = {
      apply(reachedThrough, wait) {
        more = wait ? nextNow('strings') : pollNow('strings');
        if (more === undefined) return undefined;
        let searchFrom = 0;
        if (more.domTreeRoots.length > 0) {
          // A browser's DOM trees: more is owned, so an edge from outside into it may stop
          // counting, and one from inside it start to. The marking's stack is the search's
          // scratch, which the search from the root starts afresh.
          markOwnedFrom(g, kinds, more.domTreeRoots, pageOwned, scratch);
          essentialBits(g, kinds, pageOwned, null, bits.fill(0));
          searchFrom = 1;
        }
        const weakMaps = new WeakMapTableIndex(more.weakMaps);
        if (!weakMaps.empty)
          dropWeakMapValueEdges(g, kinds, weakMaps, bits, (o, e) => {
            const at = reachedThrough(o, g.edgeTarget[e]);
            if (at > 0 && (searchFrom === 0 || at < searchFrom)) searchFrom = at;
          });
        reply({ type: 'flags', pageOwned, essential: bits });
        return searchFrom;
      },
      retainers() {
        const m = more!;
        // The other thread builds them meanwhile. A timed wait, so that terminate() always ends it.
        while (Atomics.load(m.ready, 0) === 0) Atomics.wait(m.ready, 0, 0, 1000);
        return { retainers: m.retainers, edgeOwners: m.edgeOwners };
      },
    };
  } else {
    const built = buildRetainersFrom(n, g.edgeTarget, true);
    reply({ type: 'retainers', retainers: built });
    retainers = built;
    essential = (await next('flags')).essential;
  }
  const d = computeDominatorsFrom(n, g.rootOrdinal, g.firstEdge, g.edgeTarget, retainers, essential, {
    shared: true,
    scratch,
    edgeOwners,
    // The other thread looks up the hubs' retainers once its own share is done (hubHelp.ts).
    onSearched(num) {
      const help = hubHelp(n, g.edgeTarget.length, num);
      reply({ type: 'search', help });
      return help;
    },
  });
  const { selfSize } = await next('sizes');
  const retainedSize = retainedSizes(d, selfSize, g.rootOrdinal);
  reply({ type: 'done', idom: d.idom, retainedSize });
}

run().catch((e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
