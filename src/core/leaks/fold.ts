// Retainer paths as a person reads them. Node's plumbing between a root and the program's
// own objects is folded into the step it stands for:
// - the module registry (`global → process → getBuiltinModule → context → $Module → _cache →
//   "/abs/books.js" → Module → exports`) is one step, "module books.js";
// - a closure's scope hop (`fn() → context → system / Context → x`) is "closure variable `x`
//   of `fn`", and "variable `x` of books.js" when the closure is one the module exports
//   (its scope is the module's own top level);
// - the root's shortcut to the global object is "global", and `process`, which Node keeps in the
//   scope of its global functions (`global → queueMicrotask → context → process`, or the
//   accessor `get process` → `_process`), is "process";
// - a run of one repeated step (a linked list's `next`, a promise chain's reactions), of one
//   or two raw steps each time, is one step: "next ×412".
// Every folded step says which raw steps it stands for, so the raw path stays one click away.

import { RetainerPath } from '../paths';
import { SYMBOL_REGISTRY_EDGE } from './symbolRegistry';
import { fileBase, functionName, isModuleKey, PathStep, pathSteps, StepSource } from './steps';

export type FoldKind =
  'root' | 'global' | 'module' | 'module-variable' | 'closure-variable' | 'repeat' | 'step';

export interface FoldedStep {
  /** First and last raw step (positions in the raw path) this step stands for. */
  from: number;
  to: number;
  kind: FoldKind;
  /** The step as a person reads it; for plain steps, empty (the edge and node say it). */
  label: string;
  /** The raw step this one ends at. */
  last: PathStep;
}

/** `fileOf`: a Module object's file (its `filename` field), for modules reached as `mainModule`. */
export function foldSteps(
  steps: PathStep[],
  fileOf: (module: number) => string | null = () => null,
): FoldedStep[] {
  const out: FoldedStep[] = [];
  const moduleEnd = registryEnd(steps, fileOf);
  let module: string | null = null;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (i === 0) {
      out.push({ from: 0, to: 0, kind: 'root', label: '', last: step });
      continue;
    }
    const processAt = i === 1 && !moduleEnd ? processEnd(steps) : -1;
    if (processAt > 0) {
      out.push({ from: 1, to: processAt, kind: 'global', label: 'process', last: steps[processAt] });
      i = processAt;
      continue;
    }
    if (moduleEnd && i === 1) {
      module = moduleEnd.file;
      out.push({
        from: 1,
        to: moduleEnd.at,
        kind: 'module',
        label: `module ${module}`,
        last: steps[moduleEnd.at],
      });
      i = moduleEnd.at;
      continue;
    }
    if (step.via?.type === 'shortcut' && step.name.startsWith('global')) {
      out.push({ from: i, to: i, kind: 'global', label: 'global', last: step });
      continue;
    }
    const variable = scopeHop(steps, i);
    if (variable >= 0) {
      const closure = steps[i - 1];
      const exported = module !== null && out[out.length - 2]?.kind === 'module';
      const name = steps[variable].via!.name;
      const label = exported
        ? `variable \`${name}\` of ${module}`
        : `closure variable \`${name}\` of \`${functionName(closure)}\``;
      out.push({
        from: i,
        to: variable,
        kind: exported ? 'module-variable' : 'closure-variable',
        label,
        last: steps[variable],
      });
      i = variable;
      continue;
    }
    // V8's nameless array of Symbol.for keys (symbolRegistry.ts), by the name a person knows.
    const label = step.via?.name === SYMBOL_REGISTRY_EDGE ? 'the global symbol registry (Symbol.for)' : '';
    out.push({ from: i, to: i, kind: 'step', label, last: step });
  }
  return collapseRepeats(out);
}

/** Fewer repeats than this stay as they are: a list of three is still read step by step. */
const MIN_REPEATS = 4;

/** Runs of one plain step (or of one pair of plain steps) repeated, as one step each. */
function collapseRepeats(folded: FoldedStep[]): FoldedStep[] {
  const key = (f: FoldedStep | undefined): string | null =>
    f && f.kind === 'step' && f.last.via ? `${f.last.via.type}:${f.last.via.name}>${f.last.className}` : null;
  const out: FoldedStep[] = [];
  for (let i = 0; i < folded.length;) {
    let best = { period: 0, times: 0 };
    for (const period of [1, 2]) {
      const unit = folded.slice(i, i + period).map(key);
      if (unit.length < period || unit.some((k) => k === null)) continue;
      let times = 1;
      while (unit.every((k, j) => key(folded[i + times * period + j]) === k)) times++;
      if (times >= MIN_REPEATS && times * period > best.times * best.period) best = { period, times };
    }
    if (best.times === 0) {
      out.push(folded[i++]);
      continue;
    }
    const unit = folded.slice(i, i + best.period).map((f) => f.last);
    const end = folded[i + best.period * best.times - 1];
    const label =
      best.period === 1
        ? `${edgeWords(unit[0].via!)} ×${best.times}`
        : `(${edgeWords(unit[0].via!)} → ${unit[0].className.startsWith('(') ? unit[0].name : unit[0].className} → ${edgeWords(unit[1].via!)}) ×${best.times}`;
    out.push({ from: folded[i].from, to: end.to, kind: 'repeat', label, last: end.last });
    i += best.period * best.times;
  }
  return out;
}

/**
 * An edge's name where it stands alone in a label: a property or variable as it is, an index
 * as what it is (`element [0]`), and V8's numbered slots of its own objects (a promise
 * reaction's link to the next, a WeakCell's) as `internal field 0`, never a bare `0`.
 */
export function edgeWords(via: { name: string; type: string }): string {
  if (!/^\d+$/.test(via.name)) return via.name;
  return via.type === 'element' ? `element [${via.name}]` : `internal field ${via.name}`;
}

export function foldPath(a: StepSource, p: RetainerPath): FoldedStep[] {
  return foldSteps(pathSteps(a, p), (m) => moduleFile(a, m));
}

/** A Module's `filename` (a string property), or null. */
export function moduleFile(a: StepSource, module: number): string | null {
  const s = a.snapshot;
  for (let e = s.firstEdge[module]; e < s.firstEdge[module + 1]; e++) {
    if (s.edgeType[e] === a.kinds.eProperty && s.edgeNameString(e) === 'filename') {
      const t = s.edgeTarget[e];
      return s.nodeTypeName(t).includes('string') ? s.nodeNameString(t) : null;
    }
  }
  return null;
}

/**
 * Where the module registry ends on a path: the module's `exports` (or the `Module` itself
 * when the path leaves it another way), with the module's file name.
 */
function registryEnd(
  steps: PathStep[],
  fileOf: (module: number) => string | null,
): { at: number; file: string } | null {
  let module = -1;
  let file = '';
  // Only near the root: a registry reached from the program's own objects is not plumbing.
  for (let i = Math.min(steps.length - 2, 12); i >= 1; i--) {
    const via = steps[i].via;
    if (steps[i].className !== 'Module' || !via) continue;
    const name = isModuleKey(via.name) ? via.name : via.name === 'mainModule' ? fileOf(steps[i].node) : null;
    if (name) {
      module = i;
      file = fileBase(name);
      break;
    }
  }
  if (module < 0) return null;
  const next = steps[module + 1];
  const at = next && next.via?.name === 'exports' && module + 1 < steps.length - 1 ? module + 1 : module;
  return { at, file };
}

/**
 * Where a path reaches the `process` object through Node's own plumbing from the global object:
 * a global function (or the `process` accessor), its scope, then `process`; -1 when it does not.
 */
export function processEnd(steps: PathStep[]): number {
  if (!steps[1]?.name.startsWith('global')) return -1;
  for (let i = 2; i < Math.min(steps.length, 8); i++) {
    const step = steps[i];
    if (step.className === 'process' && step.type === 'object') return i;
    if (!step.isClosure && !step.isContext) return -1;
  }
  return -1;
}

/**
 * At a closure's scope (`context` edge into a `system / Context`, then maybe `previous` to
 * outer scopes), the position of the variable step that leaves it; -1 when step i is not one.
 */
function scopeHop(steps: PathStep[], i: number): number {
  if (!steps[i].isContext || !steps[i - 1]?.isClosure) return -1;
  let j = i;
  while (j + 1 < steps.length && steps[j + 1].isContext && steps[j + 1].via?.name === 'previous') j++;
  const next = steps[j + 1];
  return next && next.via?.type === 'context' ? j + 1 : -1;
}
