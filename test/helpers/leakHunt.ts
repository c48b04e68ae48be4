// A leak hunt over a hand-made heap: `setup` builds the old heap, `grow` adds one iteration's
// objects; the marks between them are the ids the hunt's iterations would have handed out.

import { SnapshotParser } from '../../src/core/parser';
import { analyze } from '../../src/core/graph/analysis';
import { className } from '../../src/core/describe';
import { detectLeaks, LeakCandidateGroup } from '../../src/core/leaks/detect';
import { SnapshotDigest } from '../../src/core/leaks/digest';
import { GraphBuilder } from './graphs';

export function huntGraph(
  iterations: number,
  setup: (b: GraphBuilder, global: number) => Record<string, number>,
  grow: (b: GraphBuilder, old: Record<string, number>, k: number) => void,
): LeakCandidateGroup[] {
  const b = new GraphBuilder();
  const old = setup(b, b.global());
  const ends = [b.nodes.length - 1];
  for (let k = 0; k < iterations; k++) {
    grow(b, old, k);
    ends.push(b.nodes.length - 1);
  }
  const p = new SnapshotParser();
  p.write(b.json());
  const a = analyze(p.end());
  const mark = (last: number): SnapshotDigest => {
    const classCounts = new Map<string, number>();
    for (let i = 0; i <= last; i++)
      classCounts.set(className(a, i), (classCounts.get(className(a, i)) ?? 0) + 1);
    return { maxId: b.id(last), classCounts, classSizes: new Map(), totalSize: 0, nodeCount: last + 1 };
  };
  return detectLeaks(mark(ends[0]), ends.slice(1).map(mark), a);
}
