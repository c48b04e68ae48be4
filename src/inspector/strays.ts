// Processes a scenario started and left behind. Killing the debuggee's process group takes
// its ordinary children with it, but a child spawned with `detached: true`, or through
// `setsid`, lives in a group of its own, and once its parent is gone it is re-parented, so
// neither the group nor the parent chain finds it. What every descendant does keep is the
// environment it was started with: the runner puts a token in the debuggee's, and the
// processes whose environment holds it are the hunt's. (Linux: /proc; elsewhere only the
// process group is ended.) A scenario that clears its children's environment escapes this.

import fs from 'node:fs';

/** The variable that marks a hunt's processes; its value is unique per debuggee. */
export const HUNT_TOKEN_VAR = 'HEAPLENS_HUNT_TOKEN';

export interface StrayProcess {
  pid: number;
  /** Its command line, spaces between the arguments (cut to 200 characters). */
  command: string;
}

/** Live processes (other than `except`) whose environment holds `VAR=token`. */
export function processesWithToken(token: string, except: ReadonlySet<number> = new Set()): StrayProcess[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`\0${HUNT_TOKEN_VAR}=${token}\0`);
  const first = Buffer.from(`${HUNT_TOKEN_VAR}=${token}\0`);
  const out: StrayProcess[] = [];
  for (const name of entries) {
    if (!/^[0-9]+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || except.has(pid)) continue;
    let env: Buffer;
    try {
      env = fs.readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (env.indexOf(needle) < 0 && !env.subarray(0, first.length).equals(first)) continue;
    if (isZombie(pid)) continue;
    out.push({ pid, command: commandLine(pid) });
  }
  return out;
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

function commandLine(pid: number): string {
  try {
    const text = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
  } catch {
    return '?';
  }
}

/** SIGKILL each one (and its process group, when it leads one); returns those signalled. */
export function killAll(procs: StrayProcess[]): StrayProcess[] {
  const killed: StrayProcess[] = [];
  for (const p of procs) {
    try {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p);
    } catch {
      // already gone
    }
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // not a group leader
    }
  }
  return killed;
}

/** Find and end the token's processes; repeated, since a dying one may have just forked. */
export function endStrays(token: string, except: ReadonlySet<number> = new Set()): StrayProcess[] {
  const ended: StrayProcess[] = [];
  for (let round = 0; round < 3; round++) {
    const found = processesWithToken(token, except);
    if (found.length === 0) break;
    ended.push(...killAll(found).filter((p) => !ended.some((e) => e.pid === p.pid)));
  }
  return ended;
}
