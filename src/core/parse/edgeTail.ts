// The edge thread's reader: "edges" read backward from its closing "]", a block at a time,
// each record written straight into the snapshot's shared columns at its index counted from
// the end (the header's edge count minus the records after it). It never reports an error:
// at anything it does not accept (a byte that is no digit, comma or space, a record out of
// range, more records than the header declares) it stops at the last record boundary it
// passed, and the loading thread reads the rest itself, finding the same error where one
// thread finds it. Whether its count from the end is right only the loading thread can tell,
// from its own count from the start, when the two meet (edgeSplit.ts).

import type { SnapshotHeader } from '../header';
import { ByteClass } from './bytes';
import { namedEdgeTypes } from './badRecord';
import type { EdgeColumns } from './edgeSplit';

export class EdgeTail {
  /** Records written, and the largest string index a named one holds. */
  records = 0;
  maxName = 0;
  /**
   * Where the part read so far begins: the offset just past the "," below its lowest record
   * (the loading thread reads everything before it). The "]" while nothing is read.
   */
  border: number;
  /** Whether the reader met something it does not accept (it reads nothing more). */
  stopped = false;

  private acc = 0;
  private scale = 1;
  private digits = 0;
  /** Whether the last thing passed is a number (else a "," or the "]"). */
  private afterNumber = false;
  /** The current record's numbers read so far, stored at their field's place. */
  private readonly record: Float64Array;
  private pending = 0;
  private readonly f: number;
  private readonly named: Uint8Array;

  constructor(
    private readonly header: SnapshotHeader,
    private readonly columns: EdgeColumns,
    end: number,
  ) {
    this.border = end;
    this.f = header.edgeLayout.fieldCount;
    this.record = new Float64Array(this.f);
    this.named = namedEdgeTypes(header.meta.edgeTypes);
  }

  /** Reads buf, the bytes just below what it has read, from its last byte down; `at` is buf[0]'s offset. */
  read(buf: Uint8Array, at: number): void {
    let acc = this.acc,
      scale = this.scale,
      digits = this.digits,
      afterNumber = this.afterNumber;
    const f = this.f;
    for (let p = buf.length - 1; p >= 0; p--) {
      let c = buf[p];
      if (c >= ByteClass.Zero && c <= ByteClass.Nine) {
        // Two numbers with only spaces between them: not JSON.
        if (digits === 0 && afterNumber) return this.stop();
        const start = p;
        for (;;) {
          acc += (c - ByteClass.Zero) * scale;
          scale *= 10;
          if (p === 0 || (c = buf[p - 1]) < ByteClass.Zero || c > ByteClass.Nine) break;
          p--;
        }
        digits += start - p + 1;
        if (digits > 15) return this.stop();
        continue;
      }
      if (digits !== 0) {
        this.record[f - 1 - this.pending++] = acc;
        acc = 0;
        scale = 1;
        digits = 0;
        afterNumber = true;
      }
      if (c === ByteClass.Comma) {
        if (!afterNumber) return this.stop();
        afterNumber = false;
        if (this.pending === f) {
          if (!this.write()) return this.stop();
          this.pending = 0;
          this.border = at + p + 1;
        }
      } else if (c !== 10 && c !== 32 && c !== 13 && c !== 9) {
        return this.stop();
      }
    }
    this.acc = acc;
    this.scale = scale;
    this.digits = digits;
    this.afterNumber = afterNumber;
  }

  private stop(): void {
    this.stopped = true;
  }

  /** Writes the record just completed below the ones written, or says it cannot (false). */
  private write(): boolean {
    const { header, record: r } = this;
    const L = header.edgeLayout;
    const nodeFields = header.nodeLayout.fieldCount;
    const type = r[L.type],
      name = r[L.name],
      to = r[L.toNode];
    // As numbers.ts writeEdges: exact below 2^32 nodes.
    const target = Math.round(to * (1 / nodeFields));
    const edge = header.edgeCount - 1 - this.records;
    if (
      edge < 0 ||
      type >= header.meta.edgeTypes.length ||
      name > 0xffffffff ||
      target >= header.nodeCount ||
      target * nodeFields !== to
    )
      return false;
    if (name > this.maxName && this.named[type] === 1) this.maxName = name;
    const { edgeType, edgeName, edgeTarget } = this.columns;
    edgeType[edge] = type;
    edgeName[edge] = name;
    edgeTarget[edge] = target;
    this.records++;
    return true;
  }
}
