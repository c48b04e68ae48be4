// The ends of a leak's sentence: what is kept ("1,000 Book objects (1.2 MB)"), the repeating
// link of a chain ("; each Thing keeps the one before it through …") and the other classes the
// same cause keeps ("; also keeps: …").

import { formatBytes } from '../format';
import { HeapAnalysis } from '../graph/analysis';
import { functionName, PathStep, pathSteps, personClass } from './steps';
import { nameOf } from './sentenceRules';
import type { ExplainInput } from './explain';
import { symbolForText, throughSymbolRegistry } from './symbolRegistry';

/**
 * What is kept: "1,000 Book objects (1.2 MB)", "40 `onMessage` closures (2.0 KB)". A leak of
 * strings is named after its container (`scheduledJobs`), which is no class: its strings are
 * "keys" when they are a dictionary's own keys (they sit in its property table: a key stays
 * however its value is cleared), else "strings".
 */
export function keptText(a: HeapAnalysis, input: ExplainInput): string {
  const { count, name } = input;
  const n = count.toLocaleString('en-US');
  const s = count === 1 ? '' : 's';
  const size = formatBytes(input.retainedSize);
  if (input.closures) return `${n} \`${name}\` closure${s} (${size})`;
  const p = input.path;
  const last = p.nodes[p.nodes.length - 1];
  // One container that grows: what grows is its entries, not "1 Set object".
  const container = p.nodes.length > 1 ? `${personClass(a, last)}${nameOf(a, p, p.nodes.length - 1)}` : name;
  if (input.entriesPerIteration !== undefined)
    return `${input.entriesPerIteration.toLocaleString('en-US')} \`${name}\` entries an iteration, added to the ${container} (${size} in all),`;
  if (count === 1 && CONTAINERS.has(name) && container !== name)
    return `1 ${container} (${size}), which keeps growing,`;
  if (input.entries) return `${n} ${name} entr${count === 1 ? 'y' : 'ies'} (${size})`;
  if (throughSymbolRegistry(a, p))
    return `${n} \`${name}\` symbol${s} (${size}), such as ${registryKey(a, last)},`;
  if (!/string/.test(a.snapshot.nodeTypeName(last)) || /^\(.*string\)$/.test(name))
    return `${n} ${name} object${s} (${size})`;
  const holder = p.nodes.length > 1 ? p.nodes[p.nodes.length - 2] : -1;
  const keys = holder >= 0 && a.snapshot.nodeNameString(holder) === '(object properties)';
  return `${n} \`${name}\` ${keys ? 'key' : 'string'}${s} (${size})`;
}

/** Classes that are containers: one of them kept is a container that grows. */
const CONTAINERS = new Set(['Array', 'Map', 'Set', 'Object']);

/** A registry entry's key as the call that made it: `Symbol.for("cache:/items/4…")`. */
function registryKey(a: HeapAnalysis, entry: number): string {
  const s = a.snapshot;
  let key = entry;
  // A symbol's key is its description (its `name`).
  if (s.nodeTypeName(entry) === 'symbol')
    for (let e = s.firstEdge[entry]; e < s.firstEdge[entry + 1]; e++)
      if (s.edgeNameString(e) === 'name') key = s.edgeTarget[e];
  return symbolForText(s.nodeTypeName(key).includes('string') ? s.nodeNameString(key) : '…');
}

/** "; each Thing keeps the one before it through the variable `original` captured by `unused`". */
export function chainText(a: HeapAnalysis, input: Pick<ExplainInput, 'chain' | 'name' | 'closures'>): string {
  const chain = input.chain;
  if (!chain) return '';
  const steps = pathSteps(a, chain.link);
  const first = steps[0].node;
  const last = steps[steps.length - 1].node;
  // V8 keeps `s += more` as a pair (first, second) until the string is flattened: a rope.
  if (steps.every((x) => x.type === 'concatenated string'))
    return '; each `+=` made a new string that keeps the whole one before it (V8 keeps joined strings as a rope of their pieces)';
  // Which way the link runs: said by the births where the chain has them (chains.ts), else by
  // the ids (a push gives ids in the order of the iterations).
  const keepsOlder = chain.keepsOlder ?? a.snapshot.nodeId[first] > a.snapshot.nodeId[last];
  const which = keepsOlder ? 'the one before it' : 'the one after it';
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
        // An anonymous method (`this.describe = () => …`) is known by its property.
        fn =
          !steps[j].name && steps[j].via?.type === 'property'
            ? `its \`${steps[j].via!.name}\``
            : `\`${functionName(steps[j])}\``;
        break;
      }
    return `the variable \`${via.name}\`${fn ? ` captured by ${fn}` : ''}`;
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
