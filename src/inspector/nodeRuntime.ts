// Which Node runs a hunt. A person's program is meant for the Node their workspace uses, not the
// one inside VS Code (Electron's, often a different major version): `heaplens.nodePath` when set,
// else the first `node` on the PATH, else VS Code's own. The choice is logged, with its version.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface NodeChoice {
  /** The binary to spawn; undefined means the current process's own (VS Code's, run as Node). */
  path: string | undefined;
  /** `v20.20.2`, or what went wrong asking it. */
  version: string;
  source: 'heaplens.nodePath' | 'PATH' | 'VS Code';
}

export function chooseNode(setting: string, env: NodeJS.ProcessEnv = process.env): NodeChoice {
  if (setting) return { path: setting, version: versionOf(setting), source: 'heaplens.nodePath' };
  const onPath = findOnPath(process.platform === 'win32' ? 'node.exe' : 'node', env.PATH ?? env.Path ?? '');
  if (onPath) return { path: onPath, version: versionOf(onPath), source: 'PATH' };
  return { path: undefined, version: process.version, source: 'VS Code' };
}

export function describeNodeChoice(c: NodeChoice): string {
  return `Node ${c.version} at ${c.path ?? process.execPath} (${c.source === 'VS Code' ? "VS Code's own: no node on the PATH" : `from ${c.source}`})`;
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function versionOf(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], {
      encoding: 'utf8',
      timeout: 5_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch (e) {
    return `unknown (${binary} --version failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}
