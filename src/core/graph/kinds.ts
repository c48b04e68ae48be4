// Node and edge type numbers resolved once per snapshot. V8 lists the type names in the
// meta; their positions are stable in practice but read by name here, never assumed.

import { HeapSnapshot } from '../snapshot';

export interface Kinds {
  hidden: number;
  array: number;
  string: number;
  object: number;
  code: number;
  closure: number;
  regexp: number;
  number: number;
  native: number;
  synthetic: number;
  consString: number;
  slicedString: number;
  symbol: number;
  bigint: number;
  objectShape: number;
  eContext: number;
  eElement: number;
  eProperty: number;
  eInternal: number;
  eHidden: number;
  eShortcut: number;
  eWeak: number;
}

export function kindsOf(s: HeapSnapshot): Kinds {
  const n = s.nodeTypeIndex;
  const e = s.edgeTypeIndex;
  return {
    hidden: n('hidden'),
    array: n('array'),
    string: n('string'),
    object: n('object'),
    code: n('code'),
    closure: n('closure'),
    regexp: n('regexp'),
    number: n('number'),
    native: n('native'),
    synthetic: n('synthetic'),
    consString: n('concatenated string'),
    slicedString: n('sliced string'),
    symbol: n('symbol'),
    bigint: n('bigint'),
    objectShape: n('object shape'),
    eContext: e('context'),
    eElement: e('element'),
    eProperty: e('property'),
    eInternal: e('internal'),
    eHidden: e('hidden'),
    eShortcut: e('shortcut'),
    eWeak: e('weak'),
  };
}
