// Run one analyzer process and collect both views of its cost: what it reports
// about itself (key/value lines on stdout, the oracles' format) and what the
// kernel saw (/usr/bin/time -v).  The two RSS figures differ on purpose: the
// in-process one is taken right after load, time -v covers the whole process
// (exit, dump, worker teardown), so a tool cannot look lighter than it is.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export const TIME_BIN = '/usr/bin/time';
export const haveTimeV = fs.existsSync(TIME_BIN);

// The oracles print `key<spaces>value<spaces>(comment)`.  Keep the whole rest of
// the line too: failure lines (`error  RangeError: ...`) carry their message there.
export function parseKeyValues(text) {
  const kv = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9_]*)\s{2,}(.*)$/.exec(line) || /^([a-z][a-z0-9_]*)\s+(\S.*)$/.exec(line);
    if (!m) continue;
    const rest = m[2].trim();
    const first = rest.split(/\s+/)[0];
    kv[m[1]] = { text: rest, num: /^-?\d+(\.\d+)?$/.test(first) ? Number(first) : NaN };
  }
  return kv;
}

export function parseTimeV(text) {
  const get = (re) => {
    const m = re.exec(text);
    return m ? m[1].trim() : null;
  };
  const rssKb = get(/Maximum resident set size \(kbytes\):\s*(\d+)/);
  const wall = get(/Elapsed \(wall clock\) time[^:]*:\s*(\S+)/);
  let wallS = NaN;
  if (wall) wallS = wall.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return { maxRssMb: rssKb ? Number(rssKb) / 1024 : NaN, wallS };
}

// A one-line reason for a failed run, e.g. "RangeError: Invalid string length".
// Order matters: an explicit oracle verdict beats a generic stack line.
export function failureReason({ kv, stdout, stderr, code, signal, timedOut }) {
  if (timedOut) return 'timeout';
  if (kv.error) {
    // the VS Code oracle reports a Rust panic separately; it tells "capacity overflow" from plain OOM
    const panic =
      kv.panic && !/^\(none/.test(kv.panic.text)
        ? ` (panic: ${kv.panic.text.replace(/^panicked at \S+\s*/, '').slice(0, 60)})`
        : '';
    return kv.error.text.replace(/^\(thrown string\)\s*/, '') + panic;
  }
  const all = `${stderr}\n${stdout}`;
  const oom = /FATAL ERROR:[^\n]*/.exec(all);
  if (oom) return oom[0].trim();
  const err = /^\s*((?:[A-Z][A-Za-z]*)?Error(?: \[[A-Z_]+\])?:[^\n]*)$/m.exec(all);
  if (err) return err[1].trim().slice(0, 160);
  if (signal) return `killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`;
  const last = all.trim().split('\n').filter(Boolean).pop();
  return `exit ${code}${last ? `: ${last.trim().slice(0, 120)}` : ''}`;
}

/**
 * Spawn `node ...args` (under /usr/bin/time -v when available), wait, and parse.
 * stdout/stderr are also written to `${logBase}.out|.err` so a surprising figure
 * can be checked after the fact.
 */
export function runNode(nodeArgs, { cwd, timeoutMs = 45 * 60_000, logBase, env } = {}) {
  const timeFile = logBase ? `${logBase}.time` : null;
  const [cmd, args] =
    haveTimeV && timeFile
      ? [TIME_BIN, ['-v', '-o', timeFile, process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '',
      stderr = '',
      timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    // stderr can be chatty (memlab progress bars); keep only the tail that explains failures
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr = (stderr + d).slice(-200_000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      if (logBase) {
        fs.writeFileSync(`${logBase}.out`, stdout);
        fs.writeFileSync(`${logBase}.err`, stderr);
      }
      let timeV = { maxRssMb: NaN, wallS: NaN };
      if (timeFile && fs.existsSync(timeFile)) timeV = parseTimeV(fs.readFileSync(timeFile, 'utf8'));
      // time -v exits with the child's status; a signal shows up in its report only
      if (haveTimeV && timeFile && fs.existsSync(timeFile)) {
        const sig = /Command terminated by signal (\d+)/.exec(fs.readFileSync(timeFile, 'utf8'));
        if (sig && !signal) signal = sig[1] === '9' ? 'SIGKILL' : `signal ${sig[1]}`;
      }
      const kv = parseKeyValues(stdout);
      const ok = code === 0 && !signal && !timedOut;
      resolve({
        ok,
        code,
        signal,
        timedOut,
        wallMs,
        stdout,
        stderr,
        kv,
        timeV,
        reason: ok ? null : failureReason({ kv, stdout, stderr, code, signal, timedOut }),
      });
    });
  });
}
