#!/usr/bin/env node
// A heap snapshot of any size written as it is generated, in constant memory (one 8 MB
// buffer): for the 4 GB and 8 GB bench sizes, where building a real heap that large and
// having V8 serialize it would need several times the file in RAM.
//
//   node bench/lib/stream-snapshot.mjs OUT.heapsnapshot SIZE_MB
//
// The graph is V8's format exactly (Node 20's meta: 7 node fields, V8's type names) and
// shaped like a program's heap: the root's shortcut to a global object and (GC roots) with
// system sub-roots; a 3-ary ownership tree under the global object (depth ~17 at 8 GB);
// per node 0–4 more references to nearby nodes (shared sub-objects, cycles) of which one in
// ten is weak; a mix of objects, arrays, strings, closures, code and hidden internals with
// sizes 16–208 bytes. Every node's edges are a pure function of its ordinal (a hash), so
// the edges are written in a second pass without remembering anything from the first.
import fs from 'node:fs';

const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const T = Object.fromEntries(NODE_TYPES.map((t, i) => [t, i]));
const E = Object.fromEntries(EDGE_TYPES.map((t, i) => [t, i]));
const NODE_FIELDS = 7; // type, name, id, self_size, edge_count, trace_node_id, detachedness

const FIXED_STRINGS = [
  '',
  '(GC roots)',
  'global',
  '(Handle scope)',
  '(Stack roots)',
  'system / Context',
  '(object elements)',
  'code',
];
const CLASSES = ['Customer', 'Order', 'LineItem', 'Address', 'Session', 'Widget', 'Cache', 'Entry'];
const PROPS = Array.from({ length: 48 }, (_, i) => `p${i}`);
const strings = [...FIXED_STRINGS, ...CLASSES, ...PROPS, 'text value', '(closure)'];
const S = (s) => strings.indexOf(s);
const PROP0 = S('p0');

/** A well-mixed 32-bit hash of (ordinal, salt). */
function hash(i, salt) {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const FIRST_TREE = 3; // 0 root, 1 global, 2 (GC roots); the tree starts at the global object
function treeChildren(j, n) {
  if (j === 0 || j === 2) return 0;
  const first = 3 * j;
  return Math.max(0, Math.min(3, n - first));
}
function extraEdges(j) {
  return j < FIRST_TREE ? 0 : hash(j, 1) % 5;
}
function edgeCount(j, n) {
  if (j === 0) return 2;
  if (j === 2) return 8;
  return treeChildren(j, n) + extraEdges(j);
}

class Out {
  constructor(file) {
    this.fd = fs.openSync(file, 'w');
    this.buf = Buffer.allocUnsafe(8 << 20);
    this.len = 0;
    this.total = 0;
  }
  flushIfFull() {
    if (this.len > this.buf.length - 256) this.flush();
  }
  flush() {
    fs.writeSync(this.fd, this.buf, 0, this.len);
    this.total += this.len;
    this.len = 0;
  }
  text(s) {
    this.flushIfFull();
    this.len += this.buf.write(s, this.len, 'latin1');
  }
  num(v) {
    // digits written backwards into place: no string per number
    const b = this.buf;
    if (v === 0) {
      b[this.len++] = 48;
      return;
    }
    let digits = 0;
    for (let x = v; x > 0; x = Math.floor(x / 10)) digits++;
    let p = this.len + digits;
    this.len = p;
    for (let x = v; x > 0; x = Math.floor(x / 10)) b[--p] = 48 + (x % 10);
  }
  byte(c) {
    this.buf[this.len++] = c;
  }
  close() {
    this.flush();
    fs.closeSync(this.fd);
  }
}

function nodeKind(j) {
  if (j === 0) return [T.synthetic, 0, 0];
  if (j === 1) return [T.object, S('global'), 48];
  if (j === 2) return [T.synthetic, S('(GC roots)'), 0];
  const h = hash(j, 2);
  const size = 16 + ((h >>> 8) % 193);
  switch (h % 8) {
    case 0:
    case 1:
    case 2:
      return [T.object, FIXED_STRINGS.length + ((h >>> 4) % CLASSES.length), size];
    case 3:
      return [T.array, S('(object elements)'), size];
    case 4:
      return [T.string, S('text value'), size];
    case 5:
      return [T.closure, S('(closure)'), 32];
    case 6:
      return [T.hidden, S('system / Context'), size];
    default:
      return [T.code, S('code'), size];
  }
}

function main() {
  const [file, sizeText] = process.argv.slice(2);
  const targetBytes = Number(sizeText) * 1048576;
  if (!file || !(targetBytes > 0)) throw new Error('usage: stream-snapshot.mjs OUT SIZE_MB');
  // Bytes of JSON per node: its record (~18 bytes and its id) and its ~3 edges (~8 bytes and
  // a node offset each); ids and offsets widen as n grows, so solve for n by iterating.
  const digits = (v) => String(Math.floor(v)).length;
  let n = Math.max(100, Math.floor(targetBytes / 60));
  for (let k = 0; k < 4; k++)
    n = Math.max(100, Math.floor(targetBytes / (18 + digits(2 * n) + 3 * (8 + digits(NODE_FIELDS * n)))));
  let edges = 0;
  for (let j = 0; j < n; j++) edges += edgeCount(j, n);
  if (edges > 0xfffffff0) throw new Error('too many edges for one snapshot');

  const out = new Out(file);
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
  out.text(
    `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${n},"edge_count":${edges},"trace_function_count":0},\n"nodes":[`,
  );
  for (let j = 0; j < n; j++) {
    out.flushIfFull();
    const [type, name, size] = nodeKind(j);
    if (j > 0) out.byte(44);
    out.num(type);
    out.byte(44);
    out.num(name);
    out.byte(44);
    out.num(2 * j + 1);
    out.byte(44);
    out.num(size);
    out.byte(44);
    out.num(edgeCount(j, n));
    out.text(',0,0\n');
  }
  out.text('],\n"edges":[');
  let first = true;
  const sep = () => {
    if (!first) out.byte(44);
    first = false;
  };
  for (let j = 0; j < n; j++) {
    out.flushIfFull();
    if (j === 0) {
      sep();
      writeEdgeBody(out, E.shortcut, S('global'), 1);
      sep();
      writeEdgeBody(out, E.element, 1, 2);
      continue;
    }
    if (j === 2) {
      for (let k = 0; k < 8; k++) {
        sep();
        writeEdgeBody(out, E.element, k, FIRST_TREE + (hash(k, 7) % (n - FIRST_TREE)));
      }
      continue;
    }
    const kids = treeChildren(j, n);
    for (let k = 0; k < kids; k++) {
      sep();
      writeEdgeBody(out, E.property, PROP0 + ((j + k) % PROPS.length), 3 * j + k);
    }
    const extra = extraEdges(j);
    for (let k = 0; k < extra; k++) {
      const h = hash(j, 10 + k);
      // a nearby node: shared sub-objects, and cycles back toward the owners
      const target = Math.min(n - 1, Math.max(FIRST_TREE, j - 2000 + (h % 4001)));
      const type = h % 10 === 0 ? E.weak : h % 10 === 1 ? E.element : E.property;
      sep();
      writeEdgeBody(out, type, type === E.element ? h % 1000 : PROP0 + ((h >>> 3) % PROPS.length), target);
    }
  }
  out.text(
    `],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":${JSON.stringify(strings)}}\n`,
  );
  out.close();
  console.log(`wrote ${file}: ${n} nodes, ${edges} edges, ${(out.total / 1048576).toFixed(0)} MB`);
}

function writeEdgeBody(out, type, name, target) {
  out.flushIfFull();
  out.num(type);
  out.byte(44);
  out.num(name);
  out.byte(44);
  out.num(target * NODE_FIELDS);
  out.byte(10);
}

main();
