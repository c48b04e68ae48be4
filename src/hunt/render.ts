// A leak report as plain text: the CLI's output and the debug adapter's Debug Console.

import path from 'node:path';
import { AllocationSite, Leak, LeakReport, SourceFrame } from '../core/report';
import { clean, formatBytes, formatCount } from '../core/format';

export interface RenderOptions {
  /** Every step exactly as V8 has it, instead of Node's plumbing folded (`--raw-paths`). */
  rawPaths?: boolean;
}

export function renderReport(report: LeakReport, iterations: number, options: RenderOptions = {}): string {
  if (report.leaks.length === 0)
    return `No leaks: nothing allocated during the ${iterations} iterations kept growing.`;
  const out: string[] = [
    `${report.leaks.length} leak${report.leaks.length === 1 ? '' : 's'} found over ${iterations} iterations, most growth first:`,
  ];
  report.leaks.forEach((leak, i) => out.push('', ...renderLeak(leak, i + 1, options)));
  return out.join('\n');
}

function renderLeak(leak: Leak, rank: number, options: RenderOptions): string[] {
  const lines = [
    `${rank}. ${clean(leak.name, 60)}: ${formatCount(leak.count)} objects, ${formatBytes(leak.retainedSize)} retained, +${formatBytes(leak.growthPerIteration)} per iteration`,
    `   ${clean(leak.explanation, 400)}`,
  ];
  const site = leak.allocationSites[0];
  if (site) lines.push(...renderSite(site));
  else lines.push('   allocation site unknown (V8 kept no allocation record for these objects)');
  lines.push('   retained through:');
  const steps = options.rawPaths && leak.rawRetainerPath ? leak.rawRetainerPath : leak.retainerPath;
  // Long chains (timer lists, promise reaction chains) keep their ends: where they start and
  // what they hold.
  const shown =
    steps.length > 24
      ? [
          ...steps.slice(0, 8).map((s, i) => ({ s, i })),
          null,
          ...steps.slice(-12).map((s, j) => ({ s, i: steps.length - 12 + j })),
        ]
      : steps.map((s, i) => ({ s, i }));
  for (const item of shown) {
    if (!item) {
      lines.push(`   ${'  '.repeat(8)}… ${steps.length - 20} more steps …`);
      continue;
    }
    const via = item.s.edge === null ? '' : `${clean(item.s.edge, 60)} → `;
    const step = item.s.label ? stepLabel(item.s.label, item.s.node) : `${via}${clean(item.s.node, 60)}`;
    lines.push(`   ${'  '.repeat(Math.min(item.i, 20))}${step}`);
  }
  return lines;
}

function renderSite(site: AllocationSite): string[] {
  const at = (f: SourceFrame): string => `${clean(f.path, 200)}:${f.line}:${f.column}`;
  const lines: string[] = [];
  const inner = site.allocatedIn;
  if (inner && !inner.package && site.statement === 'call' && inner.path === site.path) {
    // The object's own constructor: the line is the `new` in its caller.
    lines.push(
      `   allocated at ${at(site)} in ${clean(site.functionName, 80)} (by the constructor \`${clean(inner.functionName, 80)}\` at line ${inner.line})`,
    );
  } else if (inner) {
    const owner = inner.package ? `${clean(inner.package, 60)}'s ` : '';
    const where = site.package ? 'called from' : 'called from your code at';
    lines.push(
      `   allocated in ${owner}\`${clean(inner.functionName, 80)}\` (${at(inner)}), ${where} ${at(site)} in ${clean(site.functionName, 80)}${unresolved(site)}`,
    );
  } else {
    lines.push(`   allocated at ${at(site)} in ${clean(site.functionName, 80)}${unresolved(site)}`);
  }
  const from = site.stack.indexOf(
    site.stack.find((f) => f.path === site.path && f.line === site.line) ?? site.stack[0],
  );
  for (const f of site.stack.slice(from + 1, from + 4)) {
    lines.push(
      `      called from ${clean(f.functionName, 80)} (${clean(path.basename(f.path), 80)}:${f.line})${unresolved(f)}`,
    );
  }
  return lines;
}

/** Said when only the function's first line could be given, not its statement. */
function unresolved(f: SourceFrame): string {
  return f.statement === 'function' ? ' (the function: its statement was not found)' : '';
}

/** A folded step: its reading, and the object it reaches unless the reading names it. */
function stepLabel(label: string, node: string): string {
  return /^(module|global)/.test(label) ? clean(label, 100) : `${clean(label, 100)} → ${clean(node, 60)}`;
}
