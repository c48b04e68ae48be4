// A program started under the inspector on a free loopback port, in its own process group
// so that killing it takes whatever it started along.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { typeScriptPreload } from '../inspector/runner';

export interface LaunchedProgram {
  port: number;
  pid: number;
  kill(): Promise<void>;
}

export interface LaunchOptions {
  cwd?: string;
  env?: Record<string, string>;
  nodePath?: string;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  timeoutMs?: number;
}

export function launchProgram(program: string, args: string[], options: LaunchOptions = {}): Promise<LaunchedProgram> {
  const child = spawn(options.nodePath || process.execPath, [...typeScriptPreload(program), '--inspect=127.0.0.1:0', path.resolve(options.cwd ?? '', program), ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const kill = async (): Promise<void> => {
    if (exited) return;
    try {
      if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch { /* already gone */ }
    await gone;
  };
  child.stdout!.on('data', (d: Buffer) => options.onOutput?.(d.toString(), 'stdout'));
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => { void kill(); reject(new Error(`${program} did not open an inspector port within ${options.timeoutMs ?? 20_000} ms`)); }, options.timeoutMs ?? 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString();
      options.onOutput?.(text, 'stderr');
      err += text;
      const m = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), pid: child.pid!, kill });
      }
    });
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`could not start ${program}: ${e.message}`)); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${program} exited (code ${code}) before its inspector was ready: ${err.slice(-400)}`)); });
  });
}
