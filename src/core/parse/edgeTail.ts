// The edge thread's reader: "edges" read backward from its closing "]", a block at a time,
// each record written straight into the snapshot's shared columns at its index counted from
// the end (the header's edge count minus the records after it). It never reports an error:
// at anything it does not accept (a byte that is no digit, comma or space, a record out of
// range, more records than the header declares) it stops at the last record boundary it
// passed, and the loading thread reads the rest itself, finding the same error where one
// thread finds it. Whether its count from the end is right only the loading thread can tell,
// from its own count from the start, when the two meet (edgeSplit.ts). Records in the layout
// writers use are read by run(), without the general loop's states (as recordRun.ts forward).

import type { SnapshotHeader } from '../header';
import { ByteClass, isWs } from './bytes';
import { namedEdgeTypes } from './badRecord';
import type { EdgeColumns } from './edgeSplit';
import { RUN_BYTES_PER_FIELD } from './recordRun';

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
  private readonly oType: number;
  private readonly oName: number;
  private readonly oTo: number;
  private readonly nodeFields: number;
  private readonly recip: number;
  private readonly types: number;
  private readonly nodeCount: number;
  private readonly lastEdge: number;
  private readonly edgeType: Uint8Array;
  private readonly edgeName: Uint32Array;
  private readonly edgeTarget: Uint32Array;

  constructor(header: SnapshotHeader, columns: EdgeColumns, end: number) {
    this.border = end;
    this.f = header.edgeLayout.fieldCount;
    this.record = new Float64Array(this.f);
    this.named = namedEdgeTypes(header.meta.edgeTypes);
    // What write() reads for every record, in fields of this object rather than the header's.
    const L = header.edgeLayout;
    this.oType = L.type;
    this.oName = L.name;
    this.oTo = L.toNode;
    this.nodeFields = header.nodeLayout.fieldCount;
    this.recip = 1 / this.nodeFields;
    this.types = header.meta.edgeTypes.length;
    this.nodeCount = header.nodeCount;
    this.lastEdge = header.edgeCount - 1;
    ({ edgeType: this.edgeType, edgeName: this.edgeName, edgeTarget: this.edgeTarget } = columns);
  }

  /** Reads buf, the bytes just below what it has read, from its last byte down; `at` is buf[0]'s offset. */
  read(buf: Uint8Array, at: number): void {
    let acc = this.acc,
      scale = this.scale,
      digits = this.digits,
      afterNumber = this.afterNumber;
    const f = this.f;
    // Below this, a record in its usual form may not fit in what is left of buf: the general
    // loop reads it.
    const runLow = f * RUN_BYTES_PER_FIELD;
    for (let p = buf.length - 1; p >= 0; p--) {
      if (digits === 0 && !afterNumber && this.pending === 0 && p >= runLow) {
        p = this.run(buf, p, at, runLow);
        if (this.stopped) return;
        if (p < 0) break;
      }
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

  /**
   * Whole records, from p (the byte below a record's "," or the "]") down, in the form
   * writers use: digits, a ",", at most two whitespace bytes either side of the number. The
   * same records the general loop writes, with the same border; it stops at the first one not
   * in that form (or not written, as the general loop would), or at runLow. Returns the byte
   * to read next.
   */
  private run(buf: Uint8Array, p: number, at: number, runLow: number): number {
    const f = this.f;
    const r = this.record;
    for (;;) {
      if (p < runLow) return p;
      let q = p;
      let k = f - 1;
      for (; k >= 0; k--) {
        let c = buf[q];
        // Whitespace is below the digits: one comparison when there is none.
        if (c < ByteClass.Zero) {
          if (isWs(c)) c = buf[--q];
          if (isWs(c)) c = buf[--q];
        }
        if (c < ByteClass.Zero || c > ByteClass.Nine) break;
        const last = q;
        let v = c - ByteClass.Zero;
        let scale = 1;
        while ((c = buf[--q]) >= ByteClass.Zero && c <= ByteClass.Nine) {
          scale *= 10;
          v += (c - ByteClass.Zero) * scale;
        }
        if (last - q > 15) break;
        if (c !== ByteClass.Comma) {
          if (isWs(c)) c = buf[--q];
          if (isWs(c)) c = buf[--q];
          if (c !== ByteClass.Comma) break;
        }
        q--;
        r[k] = v;
      }
      if (k >= 0) return p;
      if (!this.write()) {
        this.stopped = true;
        return p;
      }
      this.border = at + q + 2;
      p = q;
    }
  }

  private stop(): void {
    this.stopped = true;
  }

  /** Writes the record just completed below the ones written, or says it cannot (false). */
  private write(): boolean {
    const r = this.record;
    const nodeFields = this.nodeFields;
    const type = r[this.oType],
      name = r[this.oName],
      to = r[this.oTo];
    // As numbers.ts writeEdges: exact below 2^32 nodes.
    const target = Math.round(to * this.recip);
    const edge = this.lastEdge - this.records;
    if (
      edge < 0 ||
      type >= this.types ||
      name > 0xffffffff ||
      target >= this.nodeCount ||
      target * nodeFields !== to
    )
      return false;
    if (name > this.maxName && this.named[type] === 1) this.maxName = name;
    this.edgeType[edge] = type;
    this.edgeName[edge] = name;
    this.edgeTarget[edge] = target;
    this.records++;
    return true;
  }
}
