// The second thread of a parallel analysis (see parallel.ts): retainers, then dominators
// once the main thread has sent the essential edges, then retained sizes once it has sent
// the adjusted self sizes. Everything arrives and leaves as shared memory.

import { parentPort } from 'node:worker_threads';
import { buildRetainersFrom } from './retainers';
import { computeDominatorsFrom, retainedSizes } from './dominators';
import type { DominatorMessage, DominatorReply, DominatorRequest } from './parallel';

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

function next(): Promise<DominatorMessage> {
  const m = inbox.shift();
  return m
    ? Promise.resolve(m)
    : new Promise((resolve) => {
        waiting = resolve;
      });
}

function reply(r: DominatorReply): void {
  port.postMessage(r);
}

async function run(): Promise<void> {
  const graph = (await next()) as DominatorRequest;
  const retainers = buildRetainersFrom(graph.nodeCount, graph.firstEdge, graph.edgeTarget, true);
  reply({ type: 'retainers', retainers });
  const { essential } = (await next()) as { type: 'essential'; essential: Uint8Array };
  const d = computeDominatorsFrom(
    graph.nodeCount,
    graph.rootOrdinal,
    graph.firstEdge,
    graph.edgeTarget,
    retainers,
    essential,
    true,
  );
  const { selfSize } = (await next()) as { type: 'sizes'; selfSize: Float64Array };
  const retainedSize = retainedSizes(d, selfSize, graph.rootOrdinal);
  reply({ type: 'done', idom: d.idom, retainedSize });
}

run().catch((e: unknown) => reply({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
