// What the e2e harness needs of the machine: bounded waits, free ports, the processes a run
// leaves behind (read from /proc), and stopping a process group politely, then firmly.

import fs from 'node:fs';
import net from 'node:net';

export function log(msg) {
  process.stderr.write(`e2e ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Poll fn until it returns a truthy value; fail with `what` after `timeout` ms, or at once when fn throws an error marked `fatal`. */
export async function until(what, fn, timeout = 30_000, interval = 200) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e?.fatal) throw e; // a visible failure: no point in waiting longer
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Live processes whose command line mentions `needle` or whose working directory is under it. */
export function processesMentioning(needle) {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // zombies are gone already
      let cwd = '';
      try {
        cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      } catch {
        /* gone or not ours */
      }
      if (cmd.includes(needle) || cwd === needle || cwd.startsWith(`${needle}/`))
        found.push({ pid: Number(name), cmd, cwd });
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopGroup(pgid, label) {
  if (!pgid || !groupAlive(pgid)) return;
  log(`stopping ${label} (process group ${pgid})`);
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const deadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
