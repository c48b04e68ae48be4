// Help for the dominator search's semidominator step from the loading thread, once that thread
// is done with its own share of the analysis (parallel.ts) and would otherwise wait for the
// dominator thread. A heap has a few nodes retained by a large part of it (a shared map or
// prototype: 100 k to 1.3 M retainers each in a 500 MB snapshot). The step looks at every
// essential retainer of such a hub unless one gives the root: for each, the owner's DFS number
// (edgeOwnerOf, num: random reads) and its EVAL. At s500 the seven hubs whose semidominator is
// not the root took ~170-200 ms of the step's ~1.1 s. The numbers depend only on the finished
// DFS, so the helper writes them for each hub beforehand, and the dominator thread does the
// EVALs only. The hubs are DFS-numbered low, so the dominator thread (going down from the
// highest vertex) reaches them last: the helper, starting when its own share is done, is
// nearly always there first. Each hub is one thread's (a compare-and-swap), and the dominator
// thread never waits: a hub the helper is still writing it does itself. Results are the same
// either way: the same numbers in the same order go to the same EVALs.

import type { Retainers } from './retainers';
import { edgeOwnerOf } from './edgeOwners';

/** A vertex with more retainers than this is a hub. */
export const HUB_RETAINERS = 1 << 14;
/**
 * At most this many hubs are helped, and this many numbers written (8 MB, resident only as
 * written, at the dominator search's peak: at s500 the seven costly hubs' 2.0 M fit).
 */
const MAX_HUBS = 1024;
const MAX_SLOTS = 1 << 21;

/** Int32 slots of `ctl` before the hubs' states. */
const COUNT = 0, // hubs published
  DOM_AT = 1, // the dominator thread is at this vertex or below (it says so at each hub; 0 when done)
  STATES = 2;
const FREE = 0,
  WRITING = 1,
  WRITTEN = 2,
  MINE = 3; // the dominator thread's

/** What the two threads share (shared memory), sent with the finished DFS. */
export interface HubHelp {
  threshold: number;
  /** COUNT, DOM_AT, then a state per hub. */
  ctl: Int32Array;
  /** The hubs' DFS numbers, highest first (the dominator thread's order). */
  hubs: Int32Array;
  /** Where hub i's numbers start in `out`. */
  start: Int32Array;
  /** Each written hub's essential retainers' owners' DFS numbers, in retainer order, then 0. */
  out: Uint32Array;
  /** The finished DFS: number by node. */
  num: Uint32Array;
}

/** The shared state, before the dominator thread starts the step (`threshold`: tests). */
export function hubHelp(n: number, edges: number, num: Uint32Array, threshold = HUB_RETAINERS): HubHelp {
  const i32 = (count: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * count));
  const ctl = i32(STATES + MAX_HUBS);
  ctl[DOM_AT] = n;
  const slots = Math.max(1, Math.min(MAX_SLOTS, edges + 1));
  return {
    threshold,
    ctl,
    hubs: i32(MAX_HUBS),
    start: i32(MAX_HUBS),
    out: new Uint32Array(new SharedArrayBuffer(4 * slots)),
    num,
  };
}

/**
 * The dominator thread, at hub w (more retainers than the threshold): where its numbers start
 * in `out`, or -1 when it looks them up itself.
 */
export function hubNumbers(h: HubHelp, w: number): number {
  const { ctl, hubs } = h;
  Atomics.store(ctl, DOM_AT, w);
  const count = Atomics.load(ctl, COUNT);
  // Few hubs: a search from the top is short, and this runs once a hub.
  for (let i = 0; i < count; i++) {
    if (hubs[i] > w) {
      // Passed: the helper need not write it.
      Atomics.compareExchange(ctl, STATES + i, FREE, MINE);
      continue;
    }
    if (hubs[i] < w) break;
    const state = Atomics.compareExchange(ctl, STATES + i, FREE, MINE);
    if (state === WRITTEN) return h.start[i];
    // Still being written: this thread looks them up, and the helper stops writing them.
    if (state === WRITING) Atomics.compareExchange(ctl, STATES + i, WRITING, MINE);
    return -1;
  }
  return -1;
}

/** The dominator thread, done with the step: the helper stops (its result waits for the helper). */
export function hubsDone(h: HubHelp): void {
  Atomics.store(h.ctl, DOM_AT, 0);
}

/** How many retainers the helper writes between two looks at whether its hub is still wanted. */
const LOOK_EVERY = 4096;

/**
 * The helper (the loading thread): finds the hubs, and writes the numbers of each the
 * dominator thread has not reached, highest first, while there is room. Returns how many.
 */
export function helpHubs(
  h: HubHelp,
  firstEdge: Uint32Array,
  owners: Uint32Array,
  r: Retainers,
  essential: Uint8Array,
): number {
  const { ctl, hubs, start, out, num, threshold } = h;
  const { firstRetainer, retainerEdge } = r;
  const n = num.length;
  // The hubs as [number, node], highest number first.
  const found: [number, number][] = [];
  for (let o = 0; o < n; o++)
    if (firstRetainer[o + 1] - firstRetainer[o] > threshold) found.push([num[o], o]);
  found.sort((a, b) => b[0] - a[0]);
  const count = Math.min(found.length, MAX_HUBS);
  for (let i = 0; i < count; i++) hubs[i] = found[i][0];
  Atomics.store(ctl, COUNT, count);
  let p = 0;
  let written = 0;
  for (let i = 0; i < count && Atomics.load(ctl, DOM_AT) > 0; i++) {
    const w = hubs[i];
    if (w >= Atomics.load(ctl, DOM_AT)) continue;
    const o = found[i][1];
    const first = firstRetainer[o];
    const end = firstRetainer[o + 1];
    if (p + (end - first) + 1 > out.length) break;
    if (Atomics.compareExchange(ctl, STATES + i, FREE, WRITING) !== FREE) continue;
    start[i] = p;
    let wanted = true;
    for (let j = first; j < end && wanted; j++) {
      const e = retainerEdge[j];
      if ((essential[e >>> 3] & (1 << (e & 7))) !== 0) out[p++] = num[edgeOwnerOf(firstEdge, owners, e)];
      // The dominator thread may have come to this hub, or be done: then these are not read.
      if ((j - first) % LOOK_EVERY === LOOK_EVERY - 1)
        wanted = Atomics.load(ctl, STATES + i) === WRITING && Atomics.load(ctl, DOM_AT) > 0;
    }
    if (!wanted) continue;
    out[p++] = 0;
    // If the dominator thread came meanwhile, it looked them up itself and reads none of these.
    if (Atomics.compareExchange(ctl, STATES + i, WRITING, WRITTEN) === WRITING) written++;
  }
  return written;
}
