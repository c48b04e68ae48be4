// How far a heap snapshot has come, for every way one is taken (CDP's takeHeapSnapshot and
// stopTrackingHeapObjects, or the debuggee writing into our pipe). V8 makes a snapshot in two
// stages: it walks the heap into a graph, then writes the graph out as JSON. Over CDP it reports
// the walk (objects walked of the total); v8.writeHeapSnapshot reports nothing, so there only the
// time spent says the walk is alive. Neither reports the writing: we count what arrives against an
// estimate of the whole from the header's node and edge counts (the first bytes V8 writes).

export type SnapshotStage = 'walking' | 'writing';

export interface SnapshotProgress {
  stage: SnapshotStage;
  /** Walking: objects walked (0 when V8 gives no figures). Writing: bytes (or characters) received. */
  done: number;
  /** Walking: objects to walk (0 when unknown). Writing: the estimated whole, never below `done`. */
  total: number;
  /** The whole snapshot has arrived. */
  finished: boolean;
  /** Since the snapshot was asked for (ms). */
  elapsedMs: number;
}

/** Where the node and edge counts stand in V8's header (the first bytes it writes). */
const HEADER_COUNTS = /"node_count":(\d+),"edge_count":(\d+)/;
/** Bytes V8 writes per node and per edge, about (a node is seven numbers and a newline, an edge three). */
const BYTES_PER_NODE = 34;
const BYTES_PER_EDGE = 15;
/** A sign of life while V8 walks without figures (ms). */
const HEARTBEAT_MS = 1000;

/**
 * Turns what a snapshot's source tells (walk figures, chunks) into progress reports, at most one
 * per percent of a stage (a CDP snapshot comes in thousands of chunks), and a heartbeat while V8
 * walks silently. `stop()` ends the heartbeat on every way out.
 */
export class ProgressMeter {
  private readonly t0 = Date.now();
  private bytes = 0;
  private estimate = 0;
  private lastKey = '';
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly report: ((p: SnapshotProgress) => void) | undefined) {}

  /** V8 walks the heap and says nothing (v8.writeHeapSnapshot): report the time every second. */
  silentWalk(): void {
    if (!this.report || this.heartbeat) return;
    this.walked(0, 0);
    this.heartbeat = setInterval(() => this.walked(0, 0), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  walked(done: number, total: number): void {
    if (this.bytes > 0) return;
    const pct = total > 0 ? Math.floor((100 * done) / total) : -1;
    const key = pct >= 0 ? `w${pct}` : `t${Math.floor((Date.now() - this.t0) / HEARTBEAT_MS)}`;
    this.emit(key, { stage: 'walking', done, total, finished: false, elapsedMs: Date.now() - this.t0 });
  }

  received(chunk: string | Uint8Array): void {
    if (this.bytes === 0) {
      this.stop();
      const head =
        typeof chunk === 'string'
          ? chunk.slice(0, 4096)
          : Buffer.from(chunk.subarray(0, 4096)).toString('latin1');
      const m = HEADER_COUNTS.exec(head);
      if (m) this.estimate = Number(m[1]) * BYTES_PER_NODE + Number(m[2]) * BYTES_PER_EDGE;
    }
    this.bytes += chunk.length;
    // The estimate can fall short (many strings): hold the percent below 100 until it is done.
    const total = Math.max(this.estimate, Math.ceil(this.bytes / 0.99));
    this.emit(`b${Math.floor((100 * this.bytes) / total)}`, {
      stage: 'writing',
      done: this.bytes,
      total,
      finished: false,
      elapsedMs: Date.now() - this.t0,
    });
  }

  finished(): void {
    this.stop();
    this.emit('done', {
      stage: 'writing',
      done: this.bytes,
      total: this.bytes,
      finished: true,
      elapsedMs: Date.now() - this.t0,
    });
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private emit(key: string, p: SnapshotProgress): void {
    if (!this.report || key === this.lastKey) return;
    this.lastKey = key;
    this.report(p);
  }
}
