// The "snapshot" header: meta (field and type names) and counts. It is small, so it is the
// one part of a snapshot read with JSON.parse; every field is found by name and checked, so
// a snapshot with fields in another order, fewer or more of them, still reads right.

import { SnapshotError } from './errors';
import { SnapshotMeta } from './snapshot';
import { GrowableBytes } from './growable';
import { ByteClass } from './parse/bytes';
import type { Fail } from './parse/numbers';

const MAX_HEADER_BYTES = 16 << 20;

/** Inside the header object: structure, a string, or the byte after a backslash in one. */
const enum Within {
  Structure,
  String,
  StringEscape,
}

/**
 * Gathers the bytes of the "snapshot" object, from its "{" to the matching "}", across
 * chunks; then reads them with readHeader().
 */
export class HeaderReader {
  done = false;
  header: SnapshotHeader | null = null;
  private readonly bytes = new GrowableBytes();
  private depth = 0;
  private within = Within.Structure;

  constructor(private readonly fail: Fail) {}

  /** `base`: the absolute offset of buf[0], for the position of a problem. */
  read(buf: Buffer, pos: number, base: number): number {
    const end = buf.length;
    const start = pos;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (this.within !== Within.Structure) {
        if (this.within === Within.StringEscape) this.within = Within.String;
        else if (c === ByteClass.Backslash) this.within = Within.StringEscape;
        else if (c === ByteClass.Quote) this.within = Within.Structure;
        continue;
      }
      if (c === ByteClass.Quote) this.within = Within.String;
      else if (c === ByteClass.LBrace || c === ByteClass.LBracket) this.depth++;
      else if ((c === ByteClass.RBrace || c === ByteClass.RBracket) && --this.depth === 0) {
        this.bytes.append(buf, start, pos + 1);
        this.header = readHeader(this.bytes.toString(), base + pos);
        this.done = true;
        return pos + 1;
      }
    }
    this.bytes.append(buf, start, end);
    if (this.bytes.length > MAX_HEADER_BYTES)
      this.fail('too-large', 'the "snapshot" header is implausibly large', end);
    return pos;
  }
}

/** Where each node field sits in a node's record. */
export interface NodeLayout {
  fieldCount: number;
  type: number;
  name: number;
  id: number;
  selfSize: number;
  edgeCount: number;
  traceNodeId: number;
}

export interface EdgeLayout {
  fieldCount: number;
  type: number;
  name: number;
  toNode: number;
}

export interface SnapshotHeader {
  meta: SnapshotMeta;
  nodeLayout: NodeLayout;
  edgeLayout: EdgeLayout;
  nodeCount: number;
  edgeCount: number;
  /** Field offset of the root node (0 unless the header says otherwise). */
  rootIndex: number;
  traceFunctionCount: number;
  extraNativeBytes: number;
}

/** `at`: the byte offset reported with any problem. */
export function readHeader(text: string, at: number): SnapshotHeader {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new SnapshotError('syntax', `the "snapshot" header is not valid JSON: ${(e as Error).message}`, at);
  }
  const h = header as Record<string, unknown>;
  const m = h.meta as Record<string, unknown> | undefined;
  const bad = (msg: string): never => {
    throw new SnapshotError('bad-meta', msg, at);
  };
  if (!m || typeof m !== 'object') bad('"snapshot.meta" is missing');
  const strList = (name: string, required: boolean): string[] => {
    const v = m![name];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      return bad(`"snapshot.meta.${name}" must be a list of names`);
    return v;
  };
  const nodeFields = strList('node_fields', true);
  const edgeFields = strList('edge_fields', true);
  const fieldIndex = (fields: string[], name: string, what: string): number => {
    const i = fields.indexOf(name);
    if (i < 0) bad(`"${what}" has no "${name}" field`);
    if (fields.indexOf(name, i + 1) >= 0) bad(`"${what}" names "${name}" twice`);
    return i;
  };
  const typeNames = (name: string, typeField: number): string[] => {
    const v = m![name];
    if (
      !Array.isArray(v) ||
      !Array.isArray(v[typeField]) ||
      !v[typeField].every((x: unknown) => typeof x === 'string')
    ) {
      return bad(`"snapshot.meta.${name}" does not list the type names`);
    }
    return v[typeField];
  };
  const nl: NodeLayout = {
    fieldCount: nodeFields.length,
    type: fieldIndex(nodeFields, 'type', 'node_fields'),
    name: fieldIndex(nodeFields, 'name', 'node_fields'),
    id: fieldIndex(nodeFields, 'id', 'node_fields'),
    selfSize: fieldIndex(nodeFields, 'self_size', 'node_fields'),
    edgeCount: fieldIndex(nodeFields, 'edge_count', 'node_fields'),
    traceNodeId: nodeFields.indexOf('trace_node_id'),
  };
  const el: EdgeLayout = {
    fieldCount: edgeFields.length,
    type: fieldIndex(edgeFields, 'type', 'edge_fields'),
    name: fieldIndex(edgeFields, 'name_or_index', 'edge_fields'),
    toNode: fieldIndex(edgeFields, 'to_node', 'edge_fields'),
  };
  const meta: SnapshotMeta = {
    nodeFields,
    edgeFields,
    nodeTypes: typeNames('node_types', nl.type),
    edgeTypes: typeNames('edge_types', el.type),
    traceFunctionInfoFields: strList('trace_function_info_fields', false),
    traceNodeFields: strList('trace_node_fields', false),
    sampleFields: strList('sample_fields', false),
    locationFields: strList('location_fields', false),
  };
  const count = (name: string, required: boolean): number => {
    const v = h[name];
    if (v === undefined && !required) return 0;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      return bad(`"snapshot.${name}" must be a non-negative integer`);
    return v;
  };
  const nodeCount = count('node_count', true);
  const edgeCount = count('edge_count', true);
  const rootIndex = count('root_index', false);
  if (nodeCount === 0) bad('the snapshot declares no nodes');
  if (rootIndex % nl.fieldCount !== 0 || rootIndex / nl.fieldCount >= nodeCount) {
    bad(`"snapshot.root_index" ${rootIndex} is not a node`);
  }
  if (nodeCount > 0xfffffff0 || edgeCount > 0xfffffff0)
    bad('the snapshot declares more nodes or edges than can be indexed');
  if (meta.nodeTypes.length > 255 || meta.edgeTypes.length > 255) bad('too many node or edge types');
  return {
    meta,
    nodeLayout: nl,
    edgeLayout: el,
    nodeCount,
    edgeCount,
    rootIndex,
    traceFunctionCount: count('trace_function_count', false),
    extraNativeBytes: count('extra_native_bytes', false),
  };
}
