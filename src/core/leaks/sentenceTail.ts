// The tails of a leak's sentence: the repeating link of a chain ("; each Thing keeps the one
// before it through …") and the other classes the same cause keeps ("; also keeps: …").

import { HeapAnalysis } from '../graph/analysis';
import { PathStep, pathSteps } from './steps';
import type { ExplainInput } from './explain';

/** "; each Thing keeps the one before it through the variable `original` captured by `unused`". */
export function chainText(a: HeapAnalysis, input: Pick<ExplainInput, 'chain' | 'name' | 'closures'>): string {
  const chain = input.chain;
  if (!chain) return '';
  const steps = pathSteps(a, chain.link);
  const first = steps[0].node;
  const last = steps[steps.length - 1].node;
  const which = a.snapshot.nodeId[first] > a.snapshot.nodeId[last] ? 'the one before it' : 'the one after it';
  return `; each ${input.closures ? `\`${input.name}\` closure` : input.name} keeps ${which} through ${linkText(steps)}`;
}

/** The repeating link of a chain, in words. */
function linkText(steps: PathStep[]): string {
  for (let i = 1; i < steps.length; i++) {
    const via = steps[i].via!;
    if (via.type !== 'context') continue;
    let fn: string | null = null;
    for (let j = i - 1; j >= 0; j--)
      if (steps[j].isClosure) {
        fn = steps[j].name || '(anonymous)';
        break;
      }
    return `the variable \`${via.name}\`${fn ? ` captured by \`${fn}\`` : ''}`;
  }
  const names = steps
    .slice(1)
    .map((x) => x.via!)
    .filter((v) => v.type === 'property' || v.type === 'internal')
    .map((v) => v.name);
  if (names.length === 0) return 'its elements';
  return names.length === 1 ? `its \`${names[0]}\`` : `\`${names.join('.')}\``;
}

export function alsoText(also: ExplainInput['alsoKeeps']): string {
  if (!also || also.length === 0) return '';
  return `; also keeps: ${also
    .slice(0, 4)
    .map((k) => `${k.className} ×${k.count.toLocaleString('en-US')}`)
    .join(', ')}`;
}
