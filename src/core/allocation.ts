// Where objects were allocated, from what V8 records. Two sources:
// - allocation tracking (trace_tree + trace_function_infos): each node's trace_node_id names
//   a call-tree node; walking its parents gives the stack. V8 records the *function* (its
//   start line), not the statement: finding the statement is the inspector's job.
// - `locations`: the source position of every closure (and some objects), exact.

import { HeapSnapshot } from './snapshot';

export interface RawFrame {
  functionName: string;
  /** Script name or URL as V8 knows it (may be empty for native code). */
  scriptName: string;
  scriptId: number;
  /** 1-based; 0 when V8 does not know. */
  line: number;
  column: number;
}

export interface SourceLocation {
  scriptId: number;
  /** 0-based, as V8 writes them. */
  line: number;
  column: number;
}

export class AllocationIndex {
  private readonly positionOfTraceId = new Map<number, number>();
  /** Built on the first locationOf: a 100 MB heap has 600,000 locations (a quarter second). */
  private locationOfNode: Map<number, number> | null = null;
  private readonly fields: Record<string, number>;

  constructor(private readonly s: HeapSnapshot) {
    const t = s.traces;
    if (t) {
      for (let i = 0; i < t.traceNodeCount; i++) this.positionOfTraceId.set(t.traceNodeIds[i], i);
    }
    const f = s.meta.traceFunctionInfoFields;
    this.fields = Object.fromEntries(f.map((name, i) => [name, i]));
  }

  private locations(): Map<number, number> {
    if (this.locationOfNode) return this.locationOfNode;
    const map = new Map<number, number>();
    const s = this.s;
    const lf = s.meta.locationFields;
    const objectIndex = lf.indexOf('object_index');
    if (objectIndex >= 0) {
      for (let i = 0; i + lf.length <= s.locations.length; i += lf.length) {
        map.set(s.locations[i + objectIndex], i);
      }
    }
    return (this.locationOfNode = map);
  }

  get hasTraces(): boolean {
    return this.s.traces !== null && this.s.nodeTraceId !== null;
  }

  /** The allocation stack of a node, innermost frame first, or null when V8 recorded none. */
  stackOf(node: number, maxFrames = 32): RawFrame[] | null {
    const t = this.s.traces;
    const ids = this.s.nodeTraceId;
    if (!t || !ids) return null;
    const traceId = ids[node];
    if (traceId === 0) return null;
    let pos = this.positionOfTraceId.get(traceId);
    const frames: RawFrame[] = [];
    while (pos !== undefined && pos !== 0xffffffff && frames.length < maxFrames) {
      const frame = this.frameOf(t.traceNodeFunction[pos]);
      // The top of the tree is a synthetic "(root)" entry, not a frame.
      if (frame && !(t.traceNodeParent[pos] === 0xffffffff && frame.functionName === '(root)'))
        frames.push(frame);
      pos = t.traceNodeParent[pos];
    }
    return frames.length > 0 ? frames : null;
  }

  private frameOf(functionIndex: number): RawFrame | null {
    const t = this.s.traces!;
    const width = t.functionInfoFields.length;
    const base = functionIndex * width;
    if (width === 0 || base + width > t.functionInfos.length) return null;
    const get = (name: string): number =>
      this.fields[name] !== undefined ? t.functionInfos[base + this.fields[name]] : 0;
    const str = (name: string): string => this.s.strings.get(get(name));
    return {
      functionName: str('name'),
      scriptName: str('script_name'),
      scriptId: get('script_id'),
      line: get('line'),
      column: get('column'),
    };
  }

  /** The source position V8 recorded for a node (closures always have one). */
  locationOf(node: number): SourceLocation | null {
    const i = this.locations().get(node);
    if (i === undefined) return null;
    const lf = this.s.meta.locationFields;
    const at = (name: string): number => this.s.locations[i + lf.indexOf(name)];
    return { scriptId: at('script_id'), line: at('line'), column: at('column') };
  }
}
