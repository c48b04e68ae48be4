// A leak report as plain text: the CLI's output and the debug adapter's Debug Console.

import path from 'node:path';
import { Leak, LeakReport } from '../core/report';
import { clean, formatBytes, formatCount } from '../core/format';

export function renderReport(report: LeakReport, iterations: number): string {
  if (report.leaks.length === 0) return `No leaks: nothing allocated during the ${iterations} iterations kept growing.`;
  const out: string[] = [`${report.leaks.length} leak${report.leaks.length === 1 ? '' : 's'} found over ${iterations} iterations, most growth first:`];
  report.leaks.forEach((leak, i) => out.push('', ...renderLeak(leak, i + 1)));
  return out.join('\n');
}

function renderLeak(leak: Leak, rank: number): string[] {
  const lines = [
    `${rank}. ${clean(leak.name, 60)}: ${formatCount(leak.count)} objects, ${formatBytes(leak.retainedSize)} retained, +${formatBytes(leak.growthPerIteration)} per iteration`,
    `   ${clean(leak.explanation, 400)}`,
  ];
  const site = leak.allocationSites[0];
  if (site) {
    lines.push(`   allocated at ${clean(site.path, 200)}:${site.line}:${site.column} in ${clean(site.functionName, 80)}`);
    for (const f of site.stack.slice(1, 4)) lines.push(`      called from ${clean(f.functionName, 80)} (${clean(path.basename(f.path), 80)}:${f.line})`);
  } else {
    lines.push('   allocation site unknown (V8 kept no allocation record for these objects)');
  }
  lines.push('   retained through:');
  const steps = leak.retainerPath;
  // Long chains (timer lists, promise reaction chains) keep their ends: where they start and
  // what they hold.
  const shown = steps.length > 24 ? [...steps.slice(0, 8).map((s, i) => ({ s, i })), null, ...steps.slice(-12).map((s, j) => ({ s, i: steps.length - 12 + j }))] : steps.map((s, i) => ({ s, i }));
  for (const item of shown) {
    if (!item) {
      lines.push(`   ${'  '.repeat(8)}… ${steps.length - 20} more steps …`);
      continue;
    }
    const via = item.s.edge === null ? '' : `${clean(item.s.edge, 60)} → `;
    lines.push(`   ${'  '.repeat(Math.min(item.i, 20))}${via}${clean(item.s.node, 60)}`);
  }
  return lines;
}
