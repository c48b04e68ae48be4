// The number arrays of a snapshot ("nodes", "edges", and the small ones: trace function
// infos, samples, locations), read digit by digit straight into typed columns. This is the
// parser's hot loop: nodes and edges are ~95 % of a snapshot's bytes.

import { SnapshotError } from '../errors';
import type { EdgeLayout, NodeLayout, SnapshotHeader } from '../header';
import { GrowableF64, GrowableU32 } from '../growable';
import { widenedSizes } from '../snapshot';
import { ByteClass, describeByte } from './bytes';
import { badEdge, badNode, Fail, namedEdgeTypes } from './badRecord';
import { readRecords, RUN_BYTES_PER_FIELD, type RunEnd } from './recordRun';
import type { EdgeColumns } from './edgeSplit';
import {
  checkCount,
  allocateDeclaredEdges,
  allocateDeclaredNodes,
  reserveDeclaredEdges,
  firstEdges,
  grownCapacity,
  growEdgeColumns,
  growNodeColumns,
  NodeColumns,
} from './columns';

export const enum Section {
  None,
  Nodes,
  Edges,
  FunctionInfos,
  Samples,
  Locations,
}

/** Where the reader stands between two numbers of an array (JSON's separators). */
const enum ListPosition {
  AtStart,
  AfterItem,
  AfterComma,
}

export type { Fail } from './badRecord';

const BATCH = 1 << 14;

export class NumberArrays {
  done = false;
  /** Counts read, -1 until the array has been read. */
  nodesRead = -1;
  edgesRead = -1;
  /** The largest string index a node's name, and a named edge's, holds (build.ts checks them once). */
  maxNodeName = 0;
  maxEdgeName = 0;
  readonly functionInfos = new GrowableF64();
  readonly samples = new GrowableF64();
  readonly locations = new GrowableU32();
  readonly columns: NodeColumns = {
    nodeType: new Uint8Array(0),
    nodeName: new Uint32Array(0),
    nodeId: new Uint32Array(0),
    nodeSelf: new Uint32Array(0),
    firstEdge: new Uint32Array(0),
    nodeTrace: null,
    edgeType: new Uint8Array(0),
    edgeName: new Uint32Array(0),
    edgeTarget: new Uint32Array(0),
  };

  private section = Section.None;
  private edgesReserved = false;
  private name = '';
  private acc = 0;
  private digits = 0;
  private position = ListPosition.AtStart;
  private readonly batch = new Float64Array(BATCH);
  private batchLen = 0;
  private recordsDone = 0; // whole records written for the current section
  private recordFields = 0; // numbers a record holds where read() takes runs of records, else 0
  private readonly run: RunEnd = { pos: 0, n: 0 };
  private nodeCapacity = 0;
  private edgeCapacity = 0;
  private readonly nodeLayout: NodeLayout;
  private readonly edgeLayout: EdgeLayout;
  private readonly nodeTypeCount: number;
  private readonly edgeTypeCount: number;
  private readonly namedEdge: Uint8Array;

  constructor(
    private readonly header: SnapshotHeader,
    private readonly totalBytes: number | undefined,
    private readonly fail: Fail,
  ) {
    this.nodeLayout = header.nodeLayout;
    this.edgeLayout = header.edgeLayout;
    this.nodeTypeCount = header.meta.nodeTypes.length;
    this.edgeTypeCount = header.meta.edgeTypes.length;
    this.namedEdge = namedEdgeTypes(header.meta.edgeTypes);
  }

  /** Starts one array, after its "[" has been read. */
  begin(section: Section, name: string): void {
    this.section = section;
    this.name = name;
    this.done = false;
    this.acc = 0;
    this.digits = 0;
    this.position = ListPosition.AtStart;
    this.batchLen = 0;
    this.recordsDone = 0;
    // Runs in "locations" too (2.5 MB at 100 MB), whose batch is flushed as it is.
    this.recordFields = section === Section.Locations ? this.header.meta.locationFields.length : 0;
    if (section === Section.Nodes) {
      this.recordFields = this.nodeLayout.fieldCount;
      this.nodeCapacity = allocateDeclaredNodes(this.columns, this.header, this.totalBytes);
    } else if (section === Section.Edges) {
      this.recordFields = this.edgeLayout.fieldCount;
      if (!this.edgesReserved)
        this.edgeCapacity = allocateDeclaredEdges(this.columns, this.header, this.totalBytes);
    }
  }

  /**
   * The edge columns at the header's count, now, for the edge thread to write its part into
   * (parse/edgeSplit.ts); null when the input's size could not hold that many edges.
   */
  reserveEdges(): EdgeColumns | null {
    if (!reserveDeclaredEdges(this.columns, this.header, this.totalBytes)) return null;
    this.edgeCapacity = this.header.edgeCount;
    this.edgesReserved = true;
    const { edgeType, edgeName, edgeTarget } = this.columns;
    return { edgeType, edgeName, edgeTarget };
  }

  /**
   * Edge records read so far (those waiting in the batch too) when the reader stands just past
   * the "," after a record, else -1. Nothing is written: a reader that goes on alone reads
   * exactly as it would have, and reports an error at the same byte.
   */
  edgeBoundary(): number {
    const f = this.edgeLayout.fieldCount;
    const atComma = this.digits === 0 && this.position === ListPosition.AfterComma;
    if (this.section !== Section.Edges || !atComma || this.batchLen % f !== 0) return -1;
    return this.recordsDone + this.batchLen / f;
  }

  /**
   * Writes the batch and counts `count` edge records the edge thread wrote after it: what is
   * left is the "]". False, with nothing changed, when a record in the batch is bad: then
   * this reader goes on alone and finds it where one thread does.
   */
  adoptEdges(count: number, maxName: number): boolean {
    try {
      this.flushBatch(0);
    } catch (e) {
      // writeEdges throws before it counts anything or touches the batch.
      if (e instanceof SnapshotError) return false;
      throw e;
    }
    this.recordsDone += count;
    this.maxEdgeName = Math.max(this.maxEdgeName, maxName);
    this.position = ListPosition.AfterItem;
    return true;
  }

  /**
   * The hot loop: digits accumulate into `acc`, separators are checked as JSON requires,
   * finished numbers collect in a small batch that is written out a record at a time.
   * Returns where it stopped: the end of the input, or just past the closing "]".
   */
  read(buf: Buffer, pos: number): number {
    const end = buf.length;
    let acc = this.acc,
      digits = this.digits,
      position = this.position,
      n = this.batchLen;
    const batch = this.batch;
    const f = this.recordFields;
    // Whole records in the usual layout are read by readRecords, the rest (and the record that
    // fills the batch, so that it is flushed where it always is) by the loop below.
    const runLimit = f === 0 ? -1 : end - f * RUN_BYTES_PER_FIELD;
    const run = this.run;
    while (pos < end) {
      if (digits === 0 && position !== ListPosition.AfterItem && pos < runLimit && n % f === 0) {
        readRecords(buf, pos, runLimit, batch, n, f, BATCH, run);
        if (run.pos !== pos) {
          pos = run.pos;
          n = run.n;
          position = ListPosition.AfterComma; // a run ends before the input does
        }
      }
      let c = buf[pos];
      if (c >= ByteClass.Zero && c <= ByteClass.Nine) {
        if (digits === 0 && position === ListPosition.AfterItem)
          this.fail('syntax', `expected "," between numbers in "${this.name}"`, pos);
        // The digits of one number in a tight loop; the terminator is handled below.
        const start = pos;
        do {
          acc = acc * 10 + (c - ByteClass.Zero);
          pos++;
        } while (pos < end && (c = buf[pos]) >= ByteClass.Zero && c <= ByteClass.Nine);
        digits += pos - start;
        if (digits > 15) this.fail('out-of-range', `a number in "${this.name}" is too large`, pos);
        continue;
      }
      if (digits !== 0) {
        batch[n++] = acc;
        acc = 0;
        digits = 0;
        position = ListPosition.AfterItem;
        if (n === BATCH) {
          this.batchLen = n;
          this.flushBatch(pos);
          n = this.batchLen;
        }
      }
      if (c === ByteClass.Comma) {
        if (position !== ListPosition.AfterItem) this.fail('syntax', `unexpected "," in "${this.name}"`, pos);
        position = ListPosition.AfterComma;
      } else if (c === ByteClass.RBracket) {
        if (position === ListPosition.AfterComma)
          this.fail('syntax', `a "," is followed by "]" in "${this.name}"`, pos);
        this.batchLen = n;
        this.flushBatch(pos);
        this.finish(pos);
        this.acc = 0;
        this.digits = 0;
        this.done = true;
        return pos + 1;
      } else if (c !== 10 && c !== 32 && c !== 13 && c !== 9) {
        this.fail(
          'syntax',
          `unexpected ${describeByte(c)} in "${this.name}" (only non-negative integers belong there)`,
          pos,
        );
      }
      pos++;
    }
    this.acc = acc;
    this.digits = digits;
    this.position = position;
    this.batchLen = n;
    return pos;
  }

  private flushBatch(at: number): void {
    const n = this.batchLen;
    let used: number;
    switch (this.section) {
      case Section.Nodes:
        used = this.writeNodes(n, at);
        break;
      case Section.Edges:
        used = this.writeEdges(n, at);
        break;
      case Section.FunctionInfos:
        this.functionInfos.pushAll(this.batch, n);
        used = n;
        break;
      case Section.Samples:
        this.samples.pushAll(this.batch, n);
        used = n;
        break;
      default:
        this.locations.pushAll(this.batch, n, () =>
          this.fail('out-of-range', 'a location value is too large', at),
        );
        used = n;
        break;
    }
    // Keep the tail of a record cut by the batch boundary for the next flush.
    if (used < n) this.batch.copyWithin(0, used, n);
    this.batchLen = n - used;
  }

  // The two loops below run once per node and per edge: arrays and offsets in locals, range
  // checks as plain comparisons (a failing record is re-checked slowly).
  private writeNodes(n: number, at: number): number {
    const L = this.nodeLayout;
    const f = L.fieldCount;
    const b = this.batch;
    const records = Math.floor(n / f);
    const first = this.recordsDone;
    if (first + records > this.nodeCapacity) this.growNodes(first + records - 1, at);
    const { nodeType, nodeName, nodeId, firstEdge, nodeTrace } = this.columns;
    let nodeSelf = this.columns.nodeSelf;
    const oType = L.type,
      oName = L.name,
      oId = L.id,
      oSelf = L.selfSize,
      oEdges = L.edgeCount;
    const oTrace = L.traceNodeId,
      types = this.nodeTypeCount;
    let maxName = this.maxNodeName;
    for (let r = 0, i = 0; r < records; r++, i += f) {
      const node = first + r;
      const type = b[i + oType],
        name = b[i + oName],
        id = b[i + oId],
        edges = b[i + oEdges];
      if (type >= types || id > 0xffffffff || edges > 0xffffffff) this.badNode(node, i, at);
      // The largest name so far: rarely a new one, and the 32-bit test only then.
      if (name > maxName) {
        if (name > 0xffffffff) this.badNode(node, i, at);
        maxName = name;
      }
      nodeType[node] = type;
      nodeName[node] = name;
      nodeId[node] = id;
      if (b[i + oSelf] > 0xffffffff && nodeSelf instanceof Uint32Array)
        nodeSelf = this.columns.nodeSelf = widenedSizes(nodeSelf);
      nodeSelf[node] = b[i + oSelf];
      // Edge counts go one slot up; a prefix sum at the end turns them into first-edge indexes.
      firstEdge[node + 1] = edges;
      if (nodeTrace !== null) {
        const t = b[i + oTrace];
        if (t > 0xffffffff) this.badNode(node, i, at);
        nodeTrace[node] = t;
      }
    }
    this.maxNodeName = maxName;
    this.recordsDone = first + records;
    return records * f;
  }

  private badNode(node: number, i: number, at: number): never {
    return badNode(this.batch, i, node, this.nodeLayout, this.nodeTypeCount, this.fail, at);
  }

  private writeEdges(n: number, at: number): number {
    const L = this.edgeLayout;
    const f = L.fieldCount;
    const nodeFields = this.nodeLayout.fieldCount;
    const nodeCount = this.nodesRead;
    const b = this.batch;
    const records = Math.floor(n / f);
    const first = this.recordsDone;
    if (first + records > this.edgeCapacity) this.growEdges(first + records - 1, at);
    const { edgeType, edgeName, edgeTarget } = this.columns;
    const oType = L.type,
      oName = L.name,
      oTo = L.toNode,
      types = this.edgeTypeCount,
      named = this.namedEdge;
    // A multiply and a round instead of a division and a remainder: exact for every offset of
    // one of < 2^32 nodes (the error is below 2^-20), and target * nodeFields !== to catches
    // every offset that is no multiple (all integers below 2^53, so that product is exact).
    const recip = 1 / nodeFields;
    let maxName = this.maxEdgeName;
    for (let r = 0, i = 0; r < records; r++, i += f) {
      const edge = first + r;
      const type = b[i + oType],
        name = b[i + oName],
        to = b[i + oTo];
      const target = Math.round(to * recip);
      if (type >= types || name > 0xffffffff || target >= nodeCount || target * nodeFields !== to)
        this.badEdge(edge, i, at);
      if (name > maxName && named[type] === 1) maxName = name;
      edgeType[edge] = type;
      edgeName[edge] = name;
      edgeTarget[edge] = target;
    }
    this.maxEdgeName = maxName;
    this.recordsDone = first + records;
    return records * f;
  }

  private badEdge(edge: number, i: number, at: number): never {
    return badEdge(this.batch, i, edge, this.edgeLayout, this.edgeTypeCount, this.nodesRead, this.fail, at);
  }

  private finish(at: number): void {
    if (this.batchLen !== 0) {
      this.fail(
        'count-mismatch',
        `"${this.name}" ends in the middle of a record (${this.batchLen} numbers left over)`,
        at,
      );
    }
    const { nodeCount: declaredNodes, edgeCount: declaredEdges } = this.header;
    const count = this.recordsDone;
    if (this.section === Section.Nodes) {
      checkCount('nodes', count, declaredNodes, this.fail, at);
      this.nodesRead = count;
      firstEdges(this.columns.firstEdge, count, declaredEdges, this.fail, at);
    } else if (this.section === Section.Edges) {
      checkCount('edges', count, declaredEdges, this.fail, at);
      this.edgesRead = count;
    }
    this.section = Section.None;
  }

  private growNodes(needed: number, at: number): void {
    const cap = grownCapacity(needed, this.header.nodeCount, this.nodeCapacity, 'nodes', this.fail, at);
    growNodeColumns(this.columns, (this.nodeCapacity = cap));
  }

  private growEdges(needed: number, at: number): void {
    const cap = grownCapacity(needed, this.header.edgeCount, this.edgeCapacity, 'edges', this.fail, at);
    growEdgeColumns(this.columns, (this.edgeCapacity = cap));
  }
}
