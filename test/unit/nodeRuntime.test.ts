// Which Node runs a hunt: the setting, else the PATH's, else VS Code's own; the log line says which.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chooseNode, describeNodeChoice } from '../../src/inspector/nodeRuntime';
import { tempDir } from '../helpers/snapshots';

test("the setting wins, then the first node on the PATH, then VS Code's own", () => {
  const setting = chooseNode(process.execPath, { PATH: '' });
  assert.deepEqual(setting, {
    path: process.execPath,
    version: process.version,
    source: 'heaplens.nodePath',
  });

  // A PATH whose first folder has no node and whose second has a real one (a link to ours).
  const empty = path.join(tempDir(), 'bin-empty');
  const bin = path.join(tempDir(), 'bin-node');
  fs.mkdirSync(empty, { recursive: true });
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const onPath = chooseNode('', { PATH: [empty, bin].join(path.delimiter) });
  assert.deepEqual(onPath, { path: path.join(bin, 'node'), version: process.version, source: 'PATH' });
  assert.match(
    describeNodeChoice(onPath),
    new RegExp(`^Node ${process.version} at .*bin-node/node \\(from PATH\\)$`),
  );

  const none = chooseNode('', { PATH: empty });
  assert.equal(none.path, undefined);
  assert.equal(none.source, 'VS Code');
  assert.match(describeNodeChoice(none), /VS Code's own: no node on the PATH/);

  const broken = chooseNode(path.join(empty, 'missing-node'), { PATH: '' });
  assert.match(broken.version, /^unknown \(.*--version failed/);
});
