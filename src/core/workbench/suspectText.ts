// The suspects' words: one sentence per suspect in the hunt's style, its folded retainer
// path, and the allocation stack when the snapshot was tracked (suspects.ts finds them).

import { HeapAnalysis } from '../graph/analysis';
import { shortestRetainerPath } from '../paths';
import { ClassKeys } from './classKeys';
import { describeHolder, foldedPath, pathSteps } from './holders';
import { ScriptIndex } from './scripts';
import type { Accumulation, Suspect, SuspectFrame } from './suspects';

export function accumulationSuspect(
  a: HeapAnalysis,
  keys: ClassKeys,
  scripts: ScriptIndex,
  acc: Accumulation,
  total: number,
): Suspect {
  const c = acc.container;
  const path = shortestRetainerPath(a, c);
  const holder = describeHolder(a, scripts, c, path);
  const memberName = keys.groups[acc.group].name;
  const steps = path ? pathSteps(a, path) : [];
  const what = `${acc.count.toLocaleString('en-US')} ${memberName} object${acc.count === 1 ? '' : 's'}`;
  const sentence = `${what} (${formatSize(acc.bytes)}, ${percent(acc.bytes / total)} of the heap) accumulate in ${holder.what}${holder.where}.`;
  return {
    kind: 'accumulation',
    id: a.snapshot.nodeId[c],
    name: keys.label(keys.groupOf(c)),
    retainedSize: a.retainedSize[c],
    share: a.retainedSize[c] / total,
    members: {
      name: memberName,
      label: keys.label(acc.group),
      count: acc.count,
      retainedSize: acc.bytes,
      sampleIds: acc.samples.map((m) => a.snapshot.nodeId[m]),
    },
    sentence,
    retainerPath: steps,
    foldedPath: foldedPath(steps),
    allocationStack: firstStack(scripts, acc.samples),
  };
}

export function dominatorSuspect(
  a: HeapAnalysis,
  keys: ClassKeys,
  scripts: ScriptIndex,
  d: number,
  total: number,
): Suspect {
  const path = shortestRetainerPath(a, d);
  const holder = describeHolder(a, scripts, d, path);
  const steps = path ? pathSteps(a, path) : [];
  const size = a.retainedSize[d];
  const sentence = `One object, ${holder.what}${holder.where}, keeps ${formatSize(size)} (${percent(size / total)} of the heap) alive.`;
  return {
    kind: 'dominator',
    id: a.snapshot.nodeId[d],
    name: keys.label(keys.groupOf(d)),
    retainedSize: size,
    share: size / total,
    sentence,
    retainerPath: steps,
    foldedPath: foldedPath(steps),
    allocationStack: firstStack(scripts, [d]),
  };
}

function firstStack(scripts: ScriptIndex, nodes: number[]): SuspectFrame[] | null {
  if (!scripts.hasTraces) return null;
  for (const n of nodes) {
    const stack = scripts.allocations.stackOf(n, 8);
    if (stack)
      return stack.map((f) => ({
        functionName: f.functionName,
        script: f.scriptName,
        line: f.line,
        column: f.column,
      }));
  }
  return null;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
