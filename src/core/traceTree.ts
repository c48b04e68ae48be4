// Reads "trace_tree" as a stream. V8 writes it as nested arrays: a list of trace nodes, each
// `id, function_info_index, count, size, [children]`, where the children list has the same
// shape. The tree grows with the number of allocation sites, so it is read number by number
// into flat arrays rather than parsed as one JSON value.

import { AllocationTraces } from './snapshot';
import { GrowableU32 } from './growable';

const NO_PARENT = 0xffffffff;

export class TraceTreeReader {
  done = false;
  private readonly ids = new GrowableU32();
  private readonly functions = new GrowableU32();
  private readonly parents = new GrowableU32();
  /** Allocations made at each trace node while tracking was on (freed ones too). */
  private readonly counts = new GrowableU32();
  /** Position of the trace node whose children list each open bracket belongs to. */
  private readonly stack: number[] = [];
  private field = 0; // which number of the current trace node comes next
  private current = NO_PARENT; // position of the trace node being read
  private acc = 0;
  private digits = 0;
  private readonly idField: number;
  private readonly functionField: number;
  private readonly countField: number;
  private readonly numbersPerNode: number;
  private started = false;

  constructor(
    fields: string[],
    private readonly fail: (message: string, at: number) => never,
  ) {
    this.idField = fields.indexOf('id');
    this.functionField = fields.indexOf('function_info_index');
    this.countField = fields.indexOf('count');
    const children = fields.indexOf('children');
    if (this.idField < 0 || this.functionField < 0 || children !== fields.length - 1) {
      fail('"trace_node_fields" must name id, function_info_index and, last, children', -1);
    }
    this.numbersPerNode = fields.length - 1;
  }

  /** Consumes bytes from `pos`; returns where it stopped (the end of input or just past the tree). */
  read(buf: Uint8Array, pos: number, base: number): number {
    const end = buf.length;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (c >= 48 && c <= 57) {
        this.acc = this.acc * 10 + (c - 48);
        if (++this.digits > 15) this.fail('a number in "trace_tree" is too large', base + pos);
        continue;
      }
      if (this.digits > 0) this.number(base + pos);
      if (c === 44 || c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (c === 91) {
        if (!this.started) {
          this.started = true;
          this.stack.push(NO_PARENT);
        } else {
          if (this.field !== this.numbersPerNode)
            this.fail('a children list comes before its trace node is complete', base + pos);
          this.stack.push(this.current);
          this.field = 0;
        }
        continue;
      }
      if (c === 93) {
        if (this.field !== 0 && this.field !== this.numbersPerNode)
          this.fail('a trace node ends early', base + pos);
        this.stack.pop();
        // After a children list closes, the next number starts a sibling.
        this.field = 0;
        if (this.stack.length === 0) {
          this.done = true;
          return pos + 1;
        }
        continue;
      }
      this.fail(`unexpected "${String.fromCharCode(c)}" in "trace_tree"`, base + pos);
    }
    return pos;
  }

  private number(at: number): void {
    if (!this.started) this.fail('"trace_tree" must be an array', at);
    const v = this.acc;
    this.acc = 0;
    this.digits = 0;
    if (this.field === this.numbersPerNode) this.fail('a trace node has too many numbers', at);
    if (this.field === 0) {
      this.current = this.ids.length;
      this.ids.push(0);
      this.functions.push(0);
      this.parents.push(this.stack[this.stack.length - 1]);
      this.counts.push(0);
    }
    if (this.field === this.idField) this.ids.setLast(v);
    if (this.field === this.functionField) this.functions.setLast(v);
    if (this.field === this.countField) this.counts.setLast(Math.min(v, 0xffffffff));
    this.field++;
  }

  finish(functionInfos: Float64Array, functionInfoFields: string[]): AllocationTraces {
    return {
      functionInfos,
      functionInfoFields,
      traceNodeIds: this.ids.toArray(),
      traceNodeFunction: this.functions.toArray(),
      traceNodeParent: this.parents.toArray(),
      traceNodeAllocations: this.counts.toArray(),
      traceNodeCount: this.ids.length,
    };
  }
}
