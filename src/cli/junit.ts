// `heaplens check --junit OUT`: JUnit XML with one test case per scenario, for CI systems that
// show test reports (a leak is a failure, a run error an error).
/* eslint-disable no-control-regex -- these patterns exist to find control characters in untrusted text */

import { formatBytes } from '../core/format';
import { frameLocation, userFrameOf } from '../core/compact';
import type { ScenarioOutcome } from './checkResult';

export function toJUnit(outcomes: ScenarioOutcome[]): string {
  const failures = outcomes.filter((o) => !o.error && o.leaks.length > 0).length;
  const errors = outcomes.filter((o) => o.error).length;
  const time = outcomes.reduce((t, o) => t + o.seconds, 0).toFixed(3);
  const counts = `tests="${outcomes.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="heaplens check" ${counts}>`,
    `  <testsuite name="heaplens check" ${counts}>`,
  ];
  for (const o of outcomes) {
    lines.push(
      `    <testcase classname="heaplens.check" name="${attr(o.scenario)}" file="${attr(o.file)}" time="${o.seconds.toFixed(3)}">`,
    );
    if (o.error) {
      lines.push(
        `      <error type="${attr(o.error.code)}" message="${attr(o.error.message.split('\n')[0])}">${text(o.error.message)}</error>`,
      );
    } else if (o.leaks.length > 0) {
      const first = o.leaks[0];
      const body = o.leaks
        .map((leak) => {
          const frame = userFrameOf(leak);
          return `${leak.name}: +${formatBytes(leak.growthPerIteration)} per iteration\n${leak.explanation}\n${frame ? `at ${frameLocation(frame)} in ${frame.functionName}` : 'allocation site unknown'}`;
        })
        .join('\n\n');
      lines.push(
        `      <failure type="leak" message="${attr(`${o.leaks.length} leak(s): ${first.explanation}`)}">${text(body)}</failure>`,
      );
    }
    if (o.tolerated.length > 0) {
      lines.push(
        `      <system-out>${text(o.tolerated.map((l) => `within --max-growth: ${l.name} +${formatBytes(l.growthPerIteration)} per iteration`).join('\n'))}</system-out>`,
      );
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** XML 1.0 cannot carry most control characters even escaped: heap text may hold them. */
function text(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;')
    .replace(/\r/g, '&#13;');
}
