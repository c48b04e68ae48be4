// The last step of a parse: every cross-reference the streaming readers could not check yet
// (names into the strings table, locations into the nodes), then the HeapSnapshot.

import { SnapshotError } from '../errors';
import type { SnapshotHeader } from '../header';
import { HeapSnapshot } from '../snapshot';
import type { StringTable } from '../stringTable';
import type { TraceTreeReader } from '../traceTree';
import { NumberArrays } from './numbers';
import { shrink } from './columns';
import { badName, namedEdgeTypes } from './badRecord';
import type { EdgeGraph } from '../graph/essential';

/** The graph as soon as "edges" is read, before the strings: what the dominator thread starts on. */
export interface ParsedGraph extends EdgeGraph {
  edgeTypes: string[];
}

export function graphOf(header: SnapshotHeader, numbers: NumberArrays): ParsedGraph {
  const n = numbers.nodesRead;
  const e = numbers.edgesRead;
  const c = numbers.columns;
  // The very arrays the snapshot will hold (the counts are checked, so nothing is cut).
  return {
    nodeCount: n,
    rootOrdinal: header.rootIndex / header.nodeLayout.fieldCount,
    firstEdge: shrink(c.firstEdge, n + 1),
    edgeTarget: shrink(c.edgeTarget, e),
    edgeType: shrink(c.edgeType, e),
    edgeNameOrIndex: shrink(c.edgeName, e),
    nodeId: shrink(c.nodeId, n),
    edgeTypes: header.meta.edgeTypes,
  };
}

export interface ParsedParts {
  header: SnapshotHeader | null;
  numbers: NumberArrays | null;
  strings: StringTable | null;
  traceTree: TraceTreeReader | null;
  /** Bytes read: the position reported with a problem found now. */
  at: number;
}

export function buildSnapshot(p: ParsedParts): HeapSnapshot {
  const { header, numbers, strings, at } = p;
  if (!header)
    throw new SnapshotError(
      'not-a-snapshot',
      'this JSON has no "snapshot" header: it is not a V8 heap snapshot',
      -1,
    );
  if (!numbers || numbers.nodesRead < 0)
    throw new SnapshotError('not-a-snapshot', 'the snapshot has no "nodes" array', -1);
  if (numbers.edgesRead < 0)
    throw new SnapshotError('not-a-snapshot', 'the snapshot has no "edges" array', -1);
  if (!strings) throw new SnapshotError('not-a-snapshot', 'the snapshot has no "strings" array', -1);
  const n = numbers.nodesRead;
  const e = numbers.edgesRead;
  const c = numbers.columns;
  const stringCount = strings.length;
  const { meta } = header;
  // The parse kept the largest name of each (numbers.ts, edgeTail.ts): one comparison here,
  // and the first offender is looked for only when there is one.
  if (numbers.maxNodeName >= stringCount) badName(c.nodeName, n, stringCount, 'node', at);
  if (numbers.maxEdgeName >= stringCount) {
    const named = namedEdgeTypes(meta.edgeTypes);
    badName(c.edgeName, e, stringCount, 'edge', at, { type: c.edgeType, named });
  }
  const locations = numbers.locations.toArray();
  const lf = meta.locationFields.length;
  const objIdx = meta.locationFields.indexOf('object_index');
  const nodeFields = header.nodeLayout.fieldCount;
  if (lf > 0 && locations.length % lf !== 0)
    throw new SnapshotError('count-mismatch', '"locations" ends in the middle of a record', at);
  if (objIdx >= 0) {
    // Locations name nodes by field offset, like edges do; store ordinals.
    for (let i = objIdx; i < locations.length; i += lf) {
      const v = locations[i];
      if (v % nodeFields !== 0 || v / nodeFields >= n)
        throw new SnapshotError(
          'out-of-range',
          `a location points to node offset ${v}, which is not a node`,
          at,
        );
      locations[i] = v / nodeFields;
    }
  }
  const traces =
    p.traceTree && numbers.functionInfos.length > 0
      ? p.traceTree.finish(numbers.functionInfos.toArray(), meta.traceFunctionInfoFields)
      : null;
  return new HeapSnapshot({
    meta,
    nodeCount: n,
    edgeCount: e,
    rootOrdinal: header.rootIndex / nodeFields,
    nodeType: shrink(c.nodeType, n),
    nodeName: shrink(c.nodeName, n),
    nodeId: shrink(c.nodeId, n),
    nodeSelfSize: shrink(c.nodeSelf, n),
    firstEdge: shrink(c.firstEdge, n + 1),
    nodeTraceId: c.nodeTrace && shrink(c.nodeTrace, n),
    edgeType: shrink(c.edgeType, e),
    edgeNameOrIndex: shrink(c.edgeName, e),
    edgeTarget: shrink(c.edgeTarget, e),
    strings,
    locations,
    samples: numbers.samples.toArray(),
    traces,
    extraNativeBytes: header.extraNativeBytes,
  });
}
