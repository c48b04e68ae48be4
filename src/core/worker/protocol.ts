// Messages between the analysis worker and whoever drives it (extension host or CLI).
// Requests carry an id; the worker answers each with a result or an error, and sends
// progress in between.

import type { SnapshotErrorCode } from '../errors';

export type LoadSource =
  | { kind: 'file'; path: string }
  /** Chunks follow as `chunk` messages, then `end` (CDP's addHeapSnapshotChunk). */
  | { kind: 'stream'; totalBytes?: number };

/** A leak hunt run by the hunt worker (src/hunt/huntWorker.ts): on a scenario it starts, or in a process it attaches to. */
export interface HuntSpec {
  scenario?: string;
  attach?: { host: string; port: number; work: { kind: 'evaluate'; expression: string } | { kind: 'http'; url: string } };
  iterations: number;
  trackAllocations: boolean;
  nodePath?: string;
  cwd?: string;
  env?: Record<string, string>;
}

/** Where a live hunt or "why is this alive?" connects: an inspector URL, host:port, or js-debug's CDP proxy. */
export type InspectorAddress =
  | { url: string }
  | { host: string; port: number }
  | { viaJsDebugProxy: true; host: string; port: number; path?: string };

export type WorkerRequest =
  | { id: number; type: 'load'; source: LoadSource }
  | { id: number; type: 'hunt'; spec: HuntSpec }
  | { id: number; type: 'liveStart'; address: InspectorAddress; trackAllocations: boolean }
  | { id: number; type: 'liveSnapshot' }
  | { id: number; type: 'liveFinish' }
  | { id: number; type: 'why'; address: InspectorAddress; expression: string; callFrameId?: string; afterResolve?: string }
  | { id: number; type: 'overview'; address: InspectorAddress }
  | { id: number; type: 'query'; method: QueryMethod; args: unknown[] };

/** Fire-and-forget messages (no answer). `abort` stops a hunt and cleans up the debuggee. */
export type WorkerStreamMessage =
  | { type: 'chunk'; data: string | Uint8Array }
  | { type: 'end' }
  | { type: 'abort' }
  | { type: 'pause' }
  | { type: 'resume' };

export type QueryMethod = 'stats' | 'summary' | 'nodeInfo' | 'retainerGraph';

export type Phase = 'reading' | 'retainers' | 'flags' | 'shallow sizes' | 'dominators' | 'retained sizes' | 'distances' | 'hunt';

export type WorkerMessage =
  | { type: 'progress'; phase: Phase; done: number; total: number; message?: string }
  | { type: 'output'; text: string }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; message: string; code?: SnapshotErrorCode | 'internal'; offset?: number };
