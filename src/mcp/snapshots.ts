// The MCP server's snapshots: each loaded (or taken) once, analysed, and then referred to by a
// short handle ("s1"), so an agent never sends or receives a snapshot, only questions about
// it. A few at a time: a snapshot's analysis holds several arrays per node, and an agent that
// forgets to release them must not exhaust the machine; the least recently used goes first.

import fs from 'node:fs';
import path from 'node:path';
import { loadSnapshotFile } from '../core/load';
import { analyzeParallel } from '../core/graph/parallel';
import type { HeapAnalysis } from '../core/graph/analysis';
import { SnapshotParser } from '../core/parser';
import { connect, disconnect } from '../inspector/connect';
import { takeProgramSnapshot } from '../inspector/target';
import { whyIsThisAlive } from '../hunt/liveHunt';
import { formatBytes } from '../core/format';

export const MAX_SNAPSHOTS = 4;

export interface StoredSnapshot {
  handle: string;
  analysis: HeapAnalysis;
  /** Where it came from: a file path, or the inspector address it was taken from. */
  source: string;
  /** File snapshots: size and mtime, so asking for the same unchanged file again reuses it. */
  fileKey?: string;
}

export class SnapshotStore {
  private readonly byHandle = new Map<string, StoredSnapshot>();
  private next = 1;

  /** A snapshot file, loaded once: the same unchanged file gives back its handle. */
  async loadFile(file: string): Promise<{ stored: StoredSnapshot; reused: boolean }> {
    const abs = path.resolve(file);
    const st = await fs.promises.stat(abs);
    const fileKey = `${abs}|${st.size}|${st.mtimeMs}`;
    for (const s of this.byHandle.values()) {
      if (s.fileKey === fileKey) return { stored: this.touch(s), reused: true };
    }
    const analysis = await analyzeParallel(await loadSnapshotFile(abs));
    return { stored: this.add({ analysis, source: abs, fileKey }), reused: false };
  }

  /** A snapshot of a process started with --inspect on a loopback port, taken now. */
  async take(host: string, port: number, signal?: AbortSignal): Promise<StoredSnapshot> {
    const client = await connect({ host, port }, { signal });
    try {
      const parser = new SnapshotParser();
      await takeProgramSnapshot(client, parser, { signal });
      return this.add({ analysis: await analyzeParallel(parser.end()), source: `${host}:${port}` });
    } finally {
      // The process lives on after us: let go once it has answered (connect.ts disconnect).
      await disconnect(client);
    }
  }

  /** The object behind an expression in a running process, and a snapshot around it. */
  async why(host: string, port: number, expression: string): Promise<{ stored: StoredSnapshot; id: number }> {
    const client = await connect({ host, port });
    try {
      const { id, analysed } = await whyIsThisAlive(client, expression);
      return { stored: this.add({ analysis: analysed.analysis, source: `${host}:${port}` }), id };
    } finally {
      // The process lives on after us: let go once it has answered (connect.ts disconnect).
      await disconnect(client);
    }
  }

  get(handle: string): StoredSnapshot {
    const s = this.byHandle.get(handle);
    if (!s) {
      const known = [...this.byHandle.keys()];
      throw new Error(
        `no snapshot "${handle}" (${known.length ? `loaded: ${known.join(', ')}` : 'none is loaded: use load_snapshot or take_snapshot'})`,
      );
    }
    return this.touch(s);
  }

  release(handle: string): boolean {
    return this.byHandle.delete(handle);
  }

  list(): { handle: string; source: string; nodeCount: number; totalSize: string }[] {
    return [...this.byHandle.values()].map(describeSnapshot);
  }

  private add(s: Omit<StoredSnapshot, 'handle'>): StoredSnapshot {
    while (this.byHandle.size >= MAX_SNAPSHOTS) this.byHandle.delete(this.byHandle.keys().next().value!);
    const stored = { ...s, handle: `s${this.next++}` };
    this.byHandle.set(stored.handle, stored);
    return stored;
  }

  /** Map order is insertion order: re-inserting makes it the most recently used. */
  private touch(s: StoredSnapshot): StoredSnapshot {
    this.byHandle.delete(s.handle);
    this.byHandle.set(s.handle, s);
    return s;
  }
}

export function describeSnapshot(s: StoredSnapshot): {
  handle: string;
  source: string;
  nodeCount: number;
  totalSize: string;
} {
  const a = s.analysis;
  return {
    handle: s.handle,
    source: s.source,
    nodeCount: a.snapshot.nodeCount,
    totalSize: formatBytes(a.retainedSize[a.snapshot.rootOrdinal] + a.snapshot.extraNativeBytes),
  };
}
