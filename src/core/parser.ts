// A streaming reader for V8's .heapsnapshot JSON. It takes chunks of any size, cut at any
// byte (file reads) or any character (CDP's addHeapSnapshotChunk strings), and writes the
// numbers straight into typed arrays. Nothing whose size grows with the heap is ever held
// as one string or handed to JSON.parse: the strings section is read string by string, so
// a snapshot with more string data than V8's maximum string length still loads.
//
// The document is read as a small state machine over bytes. Only the `snapshot` header
// (meta and counts, a few KB) is collected and given to JSON.parse.

import { SnapshotError, SnapshotErrorCode } from './errors';
import { HeapSnapshot, SnapshotMeta } from './snapshot';
import { EdgeLayout, NodeLayout, readHeader } from './header';
import { TraceTreeReader } from './traceTree';
import { GrowableBytes, GrowableF64, GrowableU32 } from './growable';

const enum S {
  DocStart, KeyOrEnd, Key, Colon, Value, AfterValue, Done,
  Header, NumArrayStart, Numbers, StringsStart, Strings, InString, Skip, TraceTree,
}

const enum Section { None, Nodes, Edges, FunctionInfos, Samples, Locations }

const enum C {
  Quote = 34, Backslash = 92, Comma = 44, Colon = 58, LBracket = 91, RBracket = 93,
  LBrace = 123, RBrace = 125, Zero = 48, Nine = 57,
}

const KNOWN_KEYS = new Set(['snapshot', 'nodes', 'edges', 'trace_function_infos', 'trace_tree', 'samples', 'locations', 'strings']);
const MAX_HEADER_BYTES = 16 << 20;
const MAX_KEY_BYTES = 256;
const BATCH = 1 << 14;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export interface ParserOptions {
  /** Total input size when known (a file): lets the parser trust header counts up to what the bytes can hold. */
  totalBytes?: number;
}

export class SnapshotParser {
  private state = S.DocStart;
  private offset = 0;               // absolute byte offset of the current chunk's start
  private readonly seenKeys = new Set<string>();
  private key = '';
  private keyBytes: number[] = [];

  // header capture
  private header = new GrowableBytes();
  private headerDepth = 0;
  private headerInString = false;
  private headerEscape = false;

  // meta, known once the header is read
  private meta: SnapshotMeta | null = null;
  private nodeLayout: NodeLayout | null = null;
  private edgeLayout: EdgeLayout | null = null;
  private declaredNodes = 0;
  private declaredEdges = 0;
  private traceFunctionCount = 0;
  private rootIndex = 0;
  private extraNativeBytes = 0;
  private nodeTypeCount = 0;
  private edgeTypeCount = 0;

  // number arrays
  private section = Section.None;
  private acc = 0;
  private digits = 0;
  private sep = 0;                  // 0: want number or ']' (array start), 1: want ',' or ']', 2: want number
  private batch = new Float64Array(BATCH);
  private batchLen = 0;
  private recordsDone = 0;          // whole records written for the current section

  // node and edge columns
  private nodeType = new Uint8Array(0);
  private nodeName = new Uint32Array(0);
  private nodeId = new Uint32Array(0);
  private nodeSelf: Float64Array = new Float64Array(0);
  private firstEdge: Uint32Array = new Uint32Array(0);
  private nodeTrace: Uint32Array | null = null;
  private nodeDetached: Uint8Array | null = null;
  private nodeCapacity = 0;
  private edgeType = new Uint8Array(0);
  private edgeName = new Uint32Array(0);
  private edgeTarget: Uint32Array = new Uint32Array(0);
  private edgeCapacity = 0;
  private nodesRead = -1;
  private edgesRead = -1;

  private readonly functionInfos = new GrowableF64();
  private readonly samples = new GrowableF64();
  private readonly locations = new GrowableU32();
  private traceTree: TraceTreeReader | null = null;

  // strings
  private readonly strings: string[] = [];
  private stringsSeen = false;
  private strSep = 0;               // 0: want string or ']', 1: want ',' or ']', 2: want string
  private strBytes = new GrowableBytes();
  private strParts: string[] = [];
  private strEscape = 0;            // 0 none, 1 after '\', 2..5 reading \uXXXX digits
  private strHex = 0;

  // generic skipping of unknown keys
  private skipDepth = 0;
  private skipInString = false;
  private skipEscape = false;
  private skipScalar = false;

  private readonly totalBytes: number | undefined;
  private readonly encoder = new TextEncoder();

  constructor(options: ParserOptions = {}) {
    this.totalBytes = options.totalBytes;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.offset;
  }

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = buf.length;
    let pos = 0;
    while (pos < end) {
      switch (this.state) {
        case S.DocStart: pos = this.expectChar(buf, pos, C.LBrace, S.KeyOrEnd, startProblem(buf, pos), 'not-a-snapshot'); break;
        case S.KeyOrEnd: pos = this.keyOrEnd(buf, pos); break;
        case S.Key: pos = this.readKey(buf, pos); break;
        case S.Colon: pos = this.expectChar(buf, pos, C.Colon, S.Value, 'expected ":" after a key', 'syntax'); break;
        case S.Value: pos = this.startValue(buf, pos); break;
        case S.AfterValue: pos = this.afterValue(buf, pos); break;
        case S.Header: pos = this.readHeader(buf, pos); break;
        case S.NumArrayStart: pos = this.expectChar(buf, pos, C.LBracket, S.Numbers, `expected "[" to start "${this.key}"`, 'syntax'); break;
        case S.Numbers: pos = this.readNumbers(buf, pos); break;
        case S.StringsStart: pos = this.expectChar(buf, pos, C.LBracket, S.Strings, 'expected "[" to start "strings"', 'syntax'); break;
        case S.Strings: pos = this.readStringsList(buf, pos); break;
        case S.InString: pos = this.readString(buf, pos); break;
        case S.Skip: pos = this.skipValue(buf, pos); break;
        case S.TraceTree: pos = this.readTraceTree(buf, pos); break;
        case S.Done:
          for (; pos < end; pos++) {
            if (!isWs(buf[pos])) this.fail('syntax', 'unexpected data after the end of the snapshot', pos);
          }
          break;
      }
    }
    this.offset += end;
  }

  /** Finishes the input and returns the snapshot, or throws a SnapshotError naming what is wrong. */
  end(): HeapSnapshot {
    if (this.offset === 0) throw new SnapshotError('empty', 'the snapshot is empty', 0);
    if (this.state !== S.Done) {
      throw new SnapshotError('truncated', `the snapshot ends early (inside ${this.where()})`, this.offset);
    }
    return this.build();
  }

  // ---- top-level object -------------------------------------------------------------

  private expectChar(buf: Buffer, pos: number, ch: number, next: S, message: string, code: 'syntax' | 'not-a-snapshot'): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    if (buf[pos] !== ch) this.fail(code, message, pos);
    this.state = next;
    return pos + 1;
  }

  private keyOrEnd(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    const c = buf[pos];
    if (c === C.RBrace && this.seenKeys.size === 0) {
      this.state = S.Done;
      return pos + 1;
    }
    if (c !== C.Quote) this.fail('syntax', 'expected a key', pos);
    this.keyBytes = [];
    this.state = S.Key;
    return pos + 1;
  }

  private readKey(buf: Buffer, pos: number): number {
    const end = buf.length;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (c === C.Quote) {
        this.key = Buffer.from(this.keyBytes).toString('utf8');
        if (this.seenKeys.has(this.key)) this.fail('syntax', `the key "${this.key}" appears twice`, pos);
        this.seenKeys.add(this.key);
        this.state = S.Colon;
        return pos + 1;
      }
      if (c === C.Backslash) {
        // Keys we act on never contain escapes; an escaped key is an unknown key, skipped below.
        this.keyBytes.push(c, buf[++pos] ?? 0);
        continue;
      }
      if (this.keyBytes.length >= MAX_KEY_BYTES) this.fail('too-large', 'a top-level key is too long', pos);
      this.keyBytes.push(c);
    }
    return pos;
  }

  private startValue(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    const key = this.key;
    if (key === 'snapshot') {
      if (buf[pos] !== C.LBrace) this.fail('bad-meta', '"snapshot" must be an object', pos);
      this.state = S.Header;
      return pos;
    }
    if (!KNOWN_KEYS.has(key)) {
      this.skipDepth = 0;
      this.skipInString = false;
      this.skipScalar = false;
      this.state = S.Skip;
      return pos;
    }
    if (key !== 'snapshot' && !this.meta) {
      this.fail('bad-meta', `"${key}" comes before the "snapshot" header that describes it`, pos);
    }
    switch (key) {
      case 'nodes': this.beginNumbers(Section.Nodes); break;
      case 'edges':
        if (this.nodesRead < 0) this.fail('syntax', '"edges" comes before "nodes"', pos);
        this.beginNumbers(Section.Edges);
        break;
      case 'trace_function_infos': this.beginNumbers(Section.FunctionInfos); break;
      case 'samples': this.beginNumbers(Section.Samples); break;
      case 'locations': this.beginNumbers(Section.Locations); break;
      case 'trace_tree':
        this.traceTree = new TraceTreeReader(this.meta!.traceNodeFields, (m, at) => this.fail('syntax', m, at));
        this.state = S.TraceTree;
        return pos;
      case 'strings':
        this.stringsSeen = true;
        this.strSep = 0;
        this.state = S.StringsStart;
        return pos;
    }
    this.state = S.NumArrayStart;
    return pos;
  }

  private afterValue(buf: Buffer, pos: number): number {
    const end = buf.length;
    while (pos < end && isWs(buf[pos])) pos++;
    if (pos === end) return pos;
    const c = buf[pos];
    if (c === C.Comma) {
      pos++;
      while (pos < end && isWs(buf[pos])) pos++;
      if (pos < end && buf[pos] !== C.Quote) this.fail('syntax', 'expected a key after ","', pos);
      this.state = S.KeyOrEnd;
      return pos;
    }
    if (c === C.RBrace) {
      this.state = S.Done;
      return pos + 1;
    }
    return this.fail('syntax', `expected "," or "}" after "${this.key}"`, pos);
  }

  // ---- the header: meta and counts -------------------------------------------------

  private readHeader(buf: Buffer, pos: number): number {
    const end = buf.length;
    const start = pos;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (this.headerInString) {
        if (this.headerEscape) this.headerEscape = false;
        else if (c === C.Backslash) this.headerEscape = true;
        else if (c === C.Quote) this.headerInString = false;
        continue;
      }
      if (c === C.Quote) this.headerInString = true;
      else if (c === C.LBrace || c === C.LBracket) this.headerDepth++;
      else if (c === C.RBrace || c === C.RBracket) {
        if (--this.headerDepth === 0) {
          this.header.append(buf, start, pos + 1);
          this.acceptHeader(this.offset + pos);
          this.state = S.AfterValue;
          return pos + 1;
        }
      }
    }
    this.header.append(buf, start, end);
    if (this.header.length > MAX_HEADER_BYTES) this.fail('too-large', 'the "snapshot" header is implausibly large', end);
    return pos;
  }

  private acceptHeader(at: number): void {
    const h = readHeader(this.header.toString(), at);
    this.header = new GrowableBytes();
    this.meta = h.meta;
    this.nodeLayout = h.nodeLayout;
    this.edgeLayout = h.edgeLayout;
    this.declaredNodes = h.nodeCount;
    this.declaredEdges = h.edgeCount;
    this.traceFunctionCount = h.traceFunctionCount;
    this.extraNativeBytes = h.extraNativeBytes;
    this.rootIndex = h.rootIndex;
    this.nodeTypeCount = h.meta.nodeTypes.length;
    this.edgeTypeCount = h.meta.edgeTypes.length;
  }

  // ---- number arrays --------------------------------------------------------------

  private beginNumbers(section: Section): void {
    this.section = section;
    this.acc = 0;
    this.digits = 0;
    this.sep = 0;
    this.batchLen = 0;
    this.recordsDone = 0;
    if (section === Section.Nodes) this.allocNodes();
    else if (section === Section.Edges) this.allocEdges();
  }

  /**
   * The hot loop: digits accumulate into `acc`, separators are checked as JSON requires,
   * finished numbers collect in a small batch that is written out a record at a time.
   */
  private readNumbers(buf: Buffer, pos: number): number {
    const end = buf.length;
    let acc = this.acc, digits = this.digits, sep = this.sep, n = this.batchLen;
    const batch = this.batch;
    while (pos < end) {
      let c = buf[pos];
      if (c >= C.Zero && c <= C.Nine) {
        if (digits === 0 && sep === 1) this.fail('syntax', `expected "," between numbers in "${this.key}"`, pos);
        // The digits of one number in a tight loop; the terminator is handled below.
        const start = pos;
        do {
          acc = acc * 10 + (c - C.Zero);
          pos++;
        } while (pos < end && (c = buf[pos]) >= C.Zero && c <= C.Nine);
        digits += pos - start;
        if (digits > 15) this.fail('out-of-range', `a number in "${this.key}" is too large`, pos);
        continue;
      }
      if (digits !== 0) {
        batch[n++] = acc;
        acc = 0;
        digits = 0;
        sep = 1;
        if (n === BATCH) {
          this.batchLen = n;
          this.flushBatch(pos);
          n = this.batchLen;
        }
      }
      if (c === C.Comma) {
        if (sep !== 1) this.fail('syntax', `unexpected "," in "${this.key}"`, pos);
        sep = 2;
      } else if (c === C.RBracket) {
        if (sep === 2) this.fail('syntax', `a "," is followed by "]" in "${this.key}"`, pos);
        this.batchLen = n;
        this.flushBatch(pos);
        this.finishNumbers(pos);
        this.acc = 0;
        this.digits = 0;
        this.state = S.AfterValue;
        return pos + 1;
      } else if (c !== 10 && c !== 32 && c !== 13 && c !== 9) {
        this.fail('syntax', `unexpected ${describeByte(c)} in "${this.key}" (only non-negative integers belong there)`, pos);
      }
      pos++;
    }
    this.acc = acc;
    this.digits = digits;
    this.sep = sep;
    this.batchLen = n;
    return pos;
  }

  private flushBatch(at: number): void {
    const n = this.batchLen;
    let used: number;
    switch (this.section) {
      case Section.Nodes: used = this.writeNodes(n, at); break;
      case Section.Edges: used = this.writeEdges(n, at); break;
      case Section.FunctionInfos: this.functionInfos.pushAll(this.batch, n); used = n; break;
      case Section.Samples: this.samples.pushAll(this.batch, n); used = n; break;
      default: this.locations.pushAll(this.batch, n, (v) => this.fail('out-of-range', 'a location value is too large', at, v)); used = n; break;
    }
    // Keep the tail of a record cut by the batch boundary for the next flush.
    if (used < n) this.batch.copyWithin(0, used, n);
    this.batchLen = n - used;
  }

  // The two loops below run once per node and per edge: arrays and offsets live in locals,
  // and the range checks are plain comparisons (a failing record is re-checked slowly).
  private writeNodes(n: number, at: number): number {
    const L = this.nodeLayout!;
    const f = L.fieldCount;
    const b = this.batch;
    const records = Math.floor(n / f);
    const first = this.recordsDone;
    if (first + records > this.nodeCapacity) this.growNodes(first + records - 1, at);
    const { nodeType, nodeName, nodeId, nodeSelf, firstEdge, nodeTrace, nodeDetached } = this;
    const oType = L.type, oName = L.name, oId = L.id, oSelf = L.selfSize, oEdges = L.edgeCount;
    const oTrace = L.traceNodeId, oDetached = L.detachedness, types = this.nodeTypeCount;
    for (let r = 0, i = 0; r < records; r++, i += f) {
      const node = first + r;
      const type = b[i + oType], name = b[i + oName], id = b[i + oId], edges = b[i + oEdges];
      if (type >= types || name > 0xffffffff || id > 0xffffffff || edges > 0xffffffff) this.badNode(node, i, at);
      nodeType[node] = type;
      nodeName[node] = name;
      nodeId[node] = id;
      nodeSelf[node] = b[i + oSelf];
      // Edge counts go one slot up; a prefix sum at the end turns them into first-edge indexes.
      firstEdge[node + 1] = edges;
      if (nodeTrace !== null) {
        const t = b[i + oTrace];
        if (t > 0xffffffff) this.badNode(node, i, at);
        nodeTrace[node] = t;
      }
      if (nodeDetached !== null) nodeDetached[node] = b[i + oDetached] & 0xff;
    }
    this.recordsDone = first + records;
    return records * f;
  }

  private badNode(node: number, i: number, at: number): never {
    const L = this.nodeLayout!;
    const type = this.batch[i + L.type];
    if (type >= this.nodeTypeCount) this.fail('out-of-range', `node ${node} has type ${type}, but only ${this.nodeTypeCount} node types exist`, at);
    return this.fail('out-of-range', `node ${node} has a value that does not fit in 32 bits`, at);
  }

  private writeEdges(n: number, at: number): number {
    const L = this.edgeLayout!;
    const f = L.fieldCount;
    const nodeFields = this.nodeLayout!.fieldCount;
    const nodeCount = this.nodesRead;
    const b = this.batch;
    const records = Math.floor(n / f);
    const first = this.recordsDone;
    if (first + records > this.edgeCapacity) this.growEdges(first + records - 1, at);
    const { edgeType, edgeName, edgeTarget } = this;
    const oType = L.type, oName = L.name, oTo = L.toNode, types = this.edgeTypeCount;
    for (let r = 0, i = 0; r < records; r++, i += f) {
      const edge = first + r;
      const type = b[i + oType], name = b[i + oName], to = b[i + oTo];
      const target = to / nodeFields;
      if (type >= types || name > 0xffffffff || target >= nodeCount || to % nodeFields !== 0) this.badEdge(edge, i, at);
      edgeType[edge] = type;
      edgeName[edge] = name;
      edgeTarget[edge] = target;
    }
    this.recordsDone = first + records;
    return records * f;
  }

  private badEdge(edge: number, i: number, at: number): never {
    const L = this.edgeLayout!;
    const type = this.batch[i + L.type];
    const to = this.batch[i + L.toNode];
    if (type >= this.edgeTypeCount) this.fail('out-of-range', `edge ${edge} has type ${type}, but only ${this.edgeTypeCount} edge types exist`, at);
    if (this.batch[i + L.name] > 0xffffffff) this.fail('out-of-range', `edge ${edge} has a name index that does not fit in 32 bits`, at);
    return this.fail('out-of-range', `edge ${edge} points to node offset ${to}, which is not one of the ${this.nodesRead} nodes`, at);
  }

  private finishNumbers(at: number): void {
    if (this.batchLen !== 0) {
      this.fail('count-mismatch', `"${this.key}" ends in the middle of a record (${this.batchLen} numbers left over)`, at);
    }
    if (this.section === Section.Nodes) {
      const count = this.recordsDone;
      if (count !== this.declaredNodes) {
        this.fail('count-mismatch', `"nodes" holds ${count} nodes but the header says ${this.declaredNodes}`, at);
      }
      this.nodesRead = count;
      const first = this.firstEdge;
      first[0] = 0;
      let sum = 0;
      for (let i = 1; i <= count; i++) {
        sum += first[i];
        if (sum > 0xffffffff) this.fail('count-mismatch', 'the nodes declare more edges than can be indexed', at);
        first[i] = sum;
      }
      if (sum !== this.declaredEdges) {
        this.fail('count-mismatch', `the nodes' edge counts add up to ${sum} but the header says ${this.declaredEdges} edges`, at);
      }
    } else if (this.section === Section.Edges) {
      if (this.recordsDone !== this.declaredEdges) {
        this.fail('count-mismatch', `"edges" holds ${this.recordsDone} edges but the header says ${this.declaredEdges}`, at);
      }
      this.edgesRead = this.recordsDone;
    }
    this.section = Section.None;
  }

  private plausibleRecords(declared: number, fieldCount: number): number {
    // Each number takes at least two bytes ("0,"), so the input size bounds the record count;
    // when the size is unknown, start small and grow, so a lying header cannot reserve memory.
    const bound = this.totalBytes !== undefined ? Math.floor(this.totalBytes / (2 * fieldCount)) + 1 : 1 << 16;
    return Math.max(1, Math.min(declared, bound));
  }

  private allocNodes(): void {
    const L = this.nodeLayout!;
    this.nodeCapacity = this.plausibleRecords(this.declaredNodes, L.fieldCount);
    const cap = this.nodeCapacity;
    this.nodeType = new Uint8Array(cap);
    this.nodeName = new Uint32Array(cap);
    this.nodeId = new Uint32Array(cap);
    // Shared memory for what the dominator thread reads (graph/parallel.ts): no copies.
    this.nodeSelf = new Float64Array(new SharedArrayBuffer(cap * 8));
    this.firstEdge = new Uint32Array(new SharedArrayBuffer((cap + 1) * 4));
    // Without allocation tracking every trace_node_id is 0: not worth a node-sized array.
    this.nodeTrace = L.traceNodeId >= 0 && this.traceFunctionCount > 0 ? new Uint32Array(cap) : null;
    this.nodeDetached = L.detachedness >= 0 ? new Uint8Array(cap) : null;
  }

  private growNodes(needed: number, at: number): void {
    if (needed >= this.declaredNodes) {
      this.fail('count-mismatch', `"nodes" holds more than the ${this.declaredNodes} nodes the header declares`, at);
    }
    const cap = Math.min(this.declaredNodes, Math.max(needed + 1, this.nodeCapacity * 2));
    this.nodeType = grow(this.nodeType, cap);
    this.nodeName = grow(this.nodeName, cap);
    this.nodeId = grow(this.nodeId, cap);
    this.nodeSelf = grow(this.nodeSelf, cap);
    this.firstEdge = grow(this.firstEdge, cap + 1);
    if (this.nodeTrace) this.nodeTrace = grow(this.nodeTrace, cap);
    if (this.nodeDetached) this.nodeDetached = grow(this.nodeDetached, cap);
    this.nodeCapacity = cap;
  }

  private allocEdges(): void {
    const cap = this.plausibleRecords(this.declaredEdges, this.edgeLayout!.fieldCount);
    this.edgeCapacity = cap;
    this.edgeType = new Uint8Array(cap);
    this.edgeName = new Uint32Array(cap);
    this.edgeTarget = new Uint32Array(new SharedArrayBuffer(cap * 4));
  }

  private growEdges(needed: number, at: number): void {
    if (needed >= this.declaredEdges) {
      this.fail('count-mismatch', `"edges" holds more than the ${this.declaredEdges} edges the header declares`, at);
    }
    const cap = Math.min(this.declaredEdges, Math.max(needed + 1, this.edgeCapacity * 2));
    this.edgeType = grow(this.edgeType, cap);
    this.edgeName = grow(this.edgeName, cap);
    this.edgeTarget = grow(this.edgeTarget, cap);
    this.edgeCapacity = cap;
  }

  // ---- trace tree -------------------------------------------------------------------

  private readTraceTree(buf: Buffer, pos: number): number {
    const r = this.traceTree!;
    const next = r.read(buf, pos, this.offset);
    if (r.done) this.state = S.AfterValue;
    return next;
  }

  // ---- strings ----------------------------------------------------------------------

  private readStringsList(buf: Buffer, pos: number): number {
    const end = buf.length;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (isWs(c)) continue;
      if (c === C.Quote) {
        if (this.strSep === 1) this.fail('syntax', 'expected "," between strings', pos);
        this.strSep = 1;
        this.state = S.InString;
        return pos + 1;
      }
      if (c === C.Comma) {
        if (this.strSep !== 1) this.fail('syntax', 'unexpected "," in "strings"', pos);
        this.strSep = 2;
        continue;
      }
      if (c === C.RBracket) {
        if (this.strSep === 2) this.fail('syntax', 'a "," is followed by "]" in "strings"', pos);
        this.state = S.AfterValue;
        return pos + 1;
      }
      this.fail('syntax', `unexpected ${describeByte(c)} in "strings" (only strings belong there)`, pos);
    }
    return pos;
  }

  /**
   * Reads one string body. The common case, a string with no escapes inside one chunk,
   * becomes a single slice; otherwise raw bytes and decoded escapes are gathered in parts.
   */
  private readString(buf: Buffer, pos: number): number {
    const end = buf.length;
    let start = pos;
    if (this.strEscape === 0 && this.strBytes.length === 0 && this.strParts.length === 0) {
      let high = 0;
      for (; pos < end; pos++) {
        const c = buf[pos];
        if (c === C.Quote || c === C.Backslash || c < 32) break;
        high |= c;
      }
      if (pos < end && buf[pos] === C.Quote) {
        this.strings.push(high < 128 ? buf.toString('latin1', start, pos) : buf.toString('utf8', start, pos));
        this.state = S.Strings;
        return pos + 1;
      }
    }
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (this.strEscape !== 0) {
        if (this.strEscape === 1) {
          const ch = simpleEscape(c);
          if (ch === 'u') {
            this.strEscape = 2;
            this.strHex = 0;
          } else if (ch !== null) {
            this.strParts.push(ch);
            this.strEscape = 0;
          } else {
            this.fail('syntax', `invalid escape "\\${String.fromCharCode(c)}" in a string`, pos);
          }
        } else {
          const h = hexValue(c);
          if (h < 0) this.fail('syntax', 'invalid \\u escape in a string', pos);
          this.strHex = this.strHex * 16 + h;
          if (++this.strEscape === 6) {
            // Surrogate halves arrive as separate escapes; as UTF-16 code units they join correctly.
            this.strParts.push(String.fromCharCode(this.strHex));
            this.strEscape = 0;
          }
        }
        start = pos + 1;
        continue;
      }
      if (c === C.Quote || c === C.Backslash) {
        this.strBytes.append(buf, start, pos);
        this.flushStringBytes();
        if (c === C.Quote) {
          this.strings.push(this.strParts.length === 1 ? this.strParts[0] : this.strParts.join(''));
          this.strParts = [];
          this.state = S.Strings;
          return pos + 1;
        }
        this.strEscape = 1;
        start = pos + 1;
        continue;
      }
      if (c < 32) this.fail('syntax', 'a control character inside a string', pos);
    }
    // Raw bytes may end mid UTF-8 sequence: keep them as bytes until an escape or the end.
    this.strBytes.append(buf, start, end);
    return end;
  }

  private flushStringBytes(): void {
    if (this.strBytes.length > 0) {
      this.strParts.push(this.strBytes.toString());
      this.strBytes.clear();
    }
  }

  // ---- unknown keys -----------------------------------------------------------------

  private skipValue(buf: Buffer, pos: number): number {
    const end = buf.length;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (this.skipInString) {
        if (this.skipEscape) this.skipEscape = false;
        else if (c === C.Backslash) this.skipEscape = true;
        else if (c === C.Quote) {
          this.skipInString = false;
          if (this.skipDepth === 0) { this.state = S.AfterValue; return pos + 1; }
        }
        continue;
      }
      if (this.skipScalar) {
        if (c === C.Comma || c === C.RBrace || c === C.RBracket || isWs(c)) {
          this.skipScalar = false;
          if (this.skipDepth === 0) { this.state = S.AfterValue; return pos; }
        }
        continue;
      }
      if (isWs(c) || c === C.Comma || c === C.Colon) continue;
      if (c === C.Quote) this.skipInString = true;
      else if (c === C.LBrace || c === C.LBracket) this.skipDepth++;
      else if (c === C.RBrace || c === C.RBracket) {
        if (--this.skipDepth < 0) this.fail('syntax', `unbalanced brackets in "${this.key}"`, pos);
        if (this.skipDepth === 0) { this.state = S.AfterValue; return pos + 1; }
      } else this.skipScalar = true;
    }
    return pos;
  }

  // ---- the end ----------------------------------------------------------------------

  private build(): HeapSnapshot {
    const at = this.offset;
    if (!this.meta) throw new SnapshotError('not-a-snapshot', 'this JSON has no "snapshot" header: it is not a V8 heap snapshot', -1);
    if (this.nodesRead < 0) throw new SnapshotError('not-a-snapshot', 'the snapshot has no "nodes" array', -1);
    if (this.edgesRead < 0) throw new SnapshotError('not-a-snapshot', 'the snapshot has no "edges" array', -1);
    if (!this.stringsSeen) throw new SnapshotError('not-a-snapshot', 'the snapshot has no "strings" array', -1);
    const n = this.nodesRead;
    const e = this.edgesRead;
    const stringCount = this.strings.length;
    const names = this.nodeName;
    for (let i = 0; i < n; i++) {
      if (names[i] >= stringCount) {
        throw new SnapshotError('out-of-range', `node ${i} names string ${names[i]}, but there are only ${stringCount} strings`, at);
      }
    }
    const meta = this.meta;
    const named = meta.edgeTypes.map((t) => t !== 'element' && t !== 'hidden');
    const edgeNames = this.edgeName;
    const edgeTypes = this.edgeType;
    for (let i = 0; i < e; i++) {
      if (named[edgeTypes[i]] && edgeNames[i] >= stringCount) {
        throw new SnapshotError('out-of-range', `edge ${i} names string ${edgeNames[i]}, but there are only ${stringCount} strings`, at);
      }
    }
    const locations = this.locations.toArray();
    const lf = meta.locationFields.length;
    const objIdx = meta.locationFields.indexOf('object_index');
    const nodeFields = this.nodeLayout!.fieldCount;
    if (lf > 0 && locations.length % lf !== 0) throw new SnapshotError('count-mismatch', '"locations" ends in the middle of a record', at);
    if (objIdx >= 0) {
      // Locations name nodes by field offset, like edges do; store ordinals.
      for (let i = objIdx; i < locations.length; i += lf) {
        const v = locations[i];
        if (v % nodeFields !== 0 || v / nodeFields >= n) throw new SnapshotError('out-of-range', `a location points to node offset ${v}, which is not a node`, at);
        locations[i] = v / nodeFields;
      }
    }
    const traces = this.traceTree && this.functionInfos.length > 0
      ? this.traceTree.finish(this.functionInfos.toArray(), meta.traceFunctionInfoFields)
      : null;
    return new HeapSnapshot(
      meta, n, e, this.rootIndex / nodeFields,
      shrink(this.nodeType, n), shrink(this.nodeName, n), shrink(this.nodeId, n), shrink(this.nodeSelf, n),
      shrink(this.firstEdge, n + 1), this.nodeTrace && shrink(this.nodeTrace, n), this.nodeDetached && shrink(this.nodeDetached, n),
      shrink(this.edgeType, e), shrink(this.edgeName, e), shrink(this.edgeTarget, e),
      this.strings, locations, this.samples.toArray(), traces, this.extraNativeBytes,
    );
  }

  private where(): string {
    switch (this.state) {
      case S.Numbers: return `"${this.key}"`;
      case S.InString: case S.Strings: case S.StringsStart: return '"strings"';
      case S.Header: return 'the "snapshot" header';
      case S.TraceTree: return '"trace_tree"';
      case S.Skip: return `"${this.key}"`;
      default: return 'the top-level object';
    }
  }

  /** Throws; typed as returning a number so callers can `return this.fail(...)`. */
  fail(code: SnapshotErrorCode, message: string, pos: number, _v?: number): never {
    throw new SnapshotError(code, message, this.offset + pos);
  }
}

type Column = Uint8Array | Uint32Array | Float64Array;

/** A new array of the same type and the same kind of memory (shared stays shared). */
function resized<T extends Column>(a: T, n: number): T {
  const Ctor = a.constructor as new (buffer: ArrayBufferLike) => T;
  const bytes = n * a.BYTES_PER_ELEMENT;
  const b = new Ctor(a.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  b.set(a.subarray(0, Math.min(a.length, n)) as never);
  return b;
}

function grow<T extends Column>(a: T, cap: number): T {
  return resized(a, cap);
}

function shrink<T extends Column>(a: T, n: number): T {
  return a.length === n ? a : resized(a, n);
}

function simpleEscape(c: number): string | null {
  switch (c) {
    case 34: return '"';
    case 92: return '\\';
    case 47: return '/';
    case 98: return '\b';
    case 102: return '\f';
    case 110: return '\n';
    case 114: return '\r';
    case 116: return '\t';
    case 117: return 'u';
    default: return null;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** What the first bytes are, when they are not the "{" of a snapshot (the message is built only then). */
function startProblem(buf: Buffer, pos: number): string {
  let p = pos;
  while (p < buf.length && isWs(buf[p])) p++;
  const c = buf[p];
  if (c === undefined || c === C.LBrace) return '';
  const hex = [...buf.subarray(p, p + 3)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (c === 0xef) return `the file starts with the bytes ${hex}, a UTF-8 byte-order mark; a heap snapshot starts with "{" (save it without the BOM)`;
  if (c === 0xfe || c === 0xff) return `the file starts with the bytes ${hex}, a UTF-16 byte-order mark; a heap snapshot is UTF-8 JSON starting with "{"`;
  if (c === 0x1f && (p + 1 >= buf.length || buf[p + 1] === 0x8b)) return `the file starts with the bytes ${hex}: it is gzip-compressed; decompress it first (gunzip)`;
  if (c === 0x50 && buf[p + 1] === 0x4b) return 'the file starts with "PK": it is a zip archive; extract the .heapsnapshot from it first';
  return `a heap snapshot starts with "{", but this starts with ${describeByte(c)}`;
}

function describeByte(c: number): string {
  return c >= 33 && c < 127 ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
