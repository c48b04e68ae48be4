// The host's side of the boundary: anything the webview posts is validated strictly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS, isHostMessage, parseWebviewMessage } from '../../src/contracts/webview';

test('accepts every well-formed message, unchanged', () => {
  const good = [
    { type: 'ready' },
    { type: 'loadMore' },
    { type: 'selectLeak', index: 0 },
    { type: 'expandRetainers', key: '12' },
    { type: 'expandRetainers', key: 'group:0', id: 0 },
    { type: 'ignoreRetainer', key: '16', id: 16 },
    { type: 'openSource', path: '/work/examples/library/src/library.js', line: 42, column: 17 },
    { type: 'openSource', path: 'C:\\src\\app.js', line: 1, column: 1 },
    { type: 'exportSvg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
    { type: 'attribution', by: 'package' },
    { type: 'attribution', by: 'file' },
    { type: 'waste' },
    { type: 'summaryRows' },
    { type: 'mergedPaths', id: 0, by: 'site' },
    { type: 'mergedPaths', id: 12345, by: 'class' },
  ];
  for (const m of good) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
});

test('rejects wrong types, ranges, lengths and extra keys', () => {
  const bad: unknown[] = [
    undefined,
    null,
    'ready',
    42,
    [],
    { type: 'ready', extra: 1 },
    { type: 'unknown' },
    { type: 'READY' },
    { type: 'selectLeak' },
    { type: 'selectLeak', index: -1 },
    { type: 'selectLeak', index: 1.5 },
    { type: 'selectLeak', index: '1' },
    { type: 'selectLeak', index: LIMITS.maxLeakIndex + 1 },
    { type: 'selectLeak', index: NaN },
    { type: 'expandRetainers' },
    { type: 'expandRetainers', key: '' },
    { type: 'expandRetainers', key: 'x'.repeat(LIMITS.maxKeyLength + 1) },
    { type: 'expandRetainers', key: '1', id: -3 },
    { type: 'expandRetainers', key: '1', id: '3' },
    { type: 'ignoreRetainer', key: 7 },
    { type: 'ignoreRetainer', key: 'a\nb' },
    { type: 'openSource', path: '/a.js', line: 0, column: 1 },
    { type: 'openSource', path: '/a.js', line: 1 },
    { type: 'openSource', path: '', line: 1, column: 1 },
    { type: 'openSource', path: '/a\u0000.js', line: 1, column: 1 },
    { type: 'openSource', path: 'x'.repeat(LIMITS.maxPathLength + 1), line: 1, column: 1 },
    { type: 'openSource', path: '/a.js', line: 1, column: 1, command: 'rm -rf' },
    { type: 'openSource', path: '/a.js', line: Infinity, column: 1 },
    { type: 'exportSvg', svg: '<script>alert(1)</script>' },
    { type: 'exportSvg', svg: 5 },
    { type: 'exportSvg' },
    { type: 'exportSvg', svg: '<svgfoo>' },
    { type: 'attribution' },
    { type: 'attribution', by: 'directory' },
    { type: 'attribution', by: 'package', path: '/etc' },
    { type: 'waste', limit: 10 },
    { type: 'summaryRows', top: 5000 },
    { type: 'mergedPaths', id: 1 },
    { type: 'mergedPaths', id: -1, by: 'site' },
    { type: 'mergedPaths', id: 1.5, by: 'class' },
    { type: 'mergedPaths', id: 1, by: 'Map' },
    { type: 'mergedPaths', className: 'Map', by: 'class' },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
});

test('a class instance or a prototype trick is not a message', () => {
  class Fake {
    type = 'ready';
  }
  assert.equal(parseWebviewMessage(new Fake()), undefined);
  assert.equal(parseWebviewMessage(Object.create({ type: 'ready' })), undefined);
  assert.equal(parseWebviewMessage(JSON.parse('{"type":"ready","__proto__":{"x":1}}')), undefined);
});

test('the webview recognises host messages and ignores noise', () => {
  const graph = {
    nodes: [{ key: '1', kind: 'root', name: '(GC roots)', selfSize: 0, retainedSize: 0, distance: 0 }],
    edges: [],
  };
  assert.ok(isHostMessage({ type: 'showGraph', graph }));
  assert.ok(isHostMessage({ type: 'mergeGraph', forKey: '1', graph }));
  assert.ok(isHostMessage({ type: 'showReport', report: { leaks: [] } }));
  assert.ok(!isHostMessage({ type: 'showGraph', graph: { nodes: [{ key: 1 }], edges: [] } }));
  assert.ok(!isHostMessage({ type: 'mergeGraph', graph }));
  assert.ok(!isHostMessage({ type: 'showReport' }));
  assert.ok(!isHostMessage('showGraph'));
});

test('selectNode carries one object id, nothing else', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'selectNode', id: 12 }), { type: 'selectNode', id: 12 });
  assert.equal(parseWebviewMessage({ type: 'selectNode', id: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'selectNode', id: 1.5 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'selectNode', id: 3, extra: true }), undefined);
  assert.equal(parseWebviewMessage({ type: 'selectNode' }), undefined);
});
