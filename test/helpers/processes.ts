// Child processes in tests: what is left running, and a server to attach to.

import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './snapshots';

/** Processes whose command line mentions `needle` (other than this test's own). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

export interface InspectServer {
  process: ChildProcessWithoutNullStreams;
  inspectPort: number;
  httpPort: number;
}

/**
 * A program (default test/fixtures/inspector/server.cjs) under `node --inspect=127.0.0.1:0`: an
 * HTTP server that leaks per request and prints `HTTP <port>`. It exits when its stdin ends, so it never outlives the test.
 */
export function startInspectServer(
  program = path.join(REPO, 'test', 'fixtures', 'inspector', 'server.cjs'),
  execArgv: string[] = [],
): Promise<InspectServer> {
  const child = spawn(process.execPath, [...execArgv, '--inspect=127.0.0.1:0', program], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    let out = '';
    let inspectPort = 0;
    let httpPort = 0;
    // Only for the start: a server that started lives until the test kills it or stdin ends.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('server did not start'));
    }, 20_000);
    timer.unref();
    const done = (): void => {
      if (!inspectPort || !httpPort) return;
      clearTimeout(timer);
      resolve({ process: child, inspectPort, httpPort });
    };
    child.stderr.on('data', (d) => {
      err += d;
      const m = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m) {
        inspectPort = Number(m[1]);
        done();
      }
    });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /HTTP (\d+)/.exec(out);
      if (m) {
        httpPort = Number(m[1]);
        done();
      }
    });
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
}
