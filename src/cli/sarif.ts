// `heaplens check --sarif OUT`: a SARIF 2.1.0 log, one result per leak at the leak's user frame
// (the program's own line that allocated what is kept), so code scanning annotates that line
// in a pull request. Paths are relative to the directory the check ran in (%SRCROOT%), as code
// scanning expects; a file outside it keeps its absolute file: URI.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatBytes } from '../core/format';
import { userFrameOf } from '../core/compact';
import type { ScenarioOutcome } from './checkResult';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const LEAK_RULE = 'heaplens/memory-leak';
export const RUN_ERROR_RULE = 'heaplens/run-error';

export function toSarif(outcomes: ScenarioOutcome[], root: string, version: string): object {
  const results: object[] = [];
  for (const o of outcomes) {
    for (const leak of o.leaks) {
      const frame = userFrameOf(leak);
      const file = frame?.path && path.isAbsolute(frame.path) ? frame.path : o.file;
      results.push({
        ruleId: LEAK_RULE,
        ruleIndex: 0,
        level: 'error',
        message: {
          text: `${leak.explanation} (+${formatBytes(leak.growthPerIteration)} per iteration over ${o.iterations} iterations of ${o.scenario})`,
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact(file, root),
              region: frame
                ? { startLine: Math.max(1, frame.line), startColumn: Math.max(1, frame.column) }
                : { startLine: 1 },
            },
            ...(frame ? { logicalLocations: [{ name: frame.functionName, kind: 'function' }] } : {}),
          },
        ],
        // Stable across runs of the same leak, so code scanning tracks one alert, not one per run.
        partialFingerprints: {
          'heaplensLeak/v1': `${leak.name}|${frame ? `${path.relative(root, file)}:${frame.line}` : o.scenario}`,
        },
        properties: {
          className: leak.name,
          count: leak.count,
          retainedSize: leak.retainedSize,
          growthPerIteration: leak.growthPerIteration,
          scenario: o.scenario,
        },
      });
    }
  }
  const failed = outcomes.filter((o) => o.error);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Heap Lens',
            semanticVersion: version,
            rules: [
              {
                id: LEAK_RULE,
                name: 'MemoryLeak',
                shortDescription: {
                  text: 'Objects allocated here are kept alive and grow with every unit of work.',
                },
                fullDescription: {
                  text: "A leak hunt repeated the scenario's action; objects allocated at this line were born in nearly every iteration, stayed reachable and kept growing. The message names what holds them.",
                },
                defaultConfiguration: { level: 'error' },
              },
              {
                id: RUN_ERROR_RULE,
                name: 'RunError',
                shortDescription: { text: 'The scenario could not be run or hunted.' },
                defaultConfiguration: { level: 'error' },
              },
            ],
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root + path.sep).href } },
        invocations: [
          {
            executionSuccessful: failed.length === 0,
            toolExecutionNotifications: failed.map((o) => ({
              level: 'error',
              message: { text: `${o.scenario}: ${o.error!.message.split('\n')[0]} [${o.error!.code}]` },
              descriptor: { id: RUN_ERROR_RULE, index: 1 },
              locations: [{ physicalLocation: { artifactLocation: artifact(o.file, root) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
}

function artifact(file: string, root: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(root, file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel))
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(file).href };
}
