// The hunt's note of the program's containers (src/core/leaks/containers.ts says why): at the
// start, every Array, Set and Map with at least MIN_NOTED_ENTRIES entries, with its count, in an
// array on the global object; after the final snapshot, their counts again, and the note gone.
// Runtime.queryObjects finds every object whose prototype chain has the given prototype
// (subclasses too); it collects garbage first, so what it finds is alive.

import type { CdpClient } from './cdp';
import { CONTAINER_NOTE, MIN_NOTED_ENTRIES } from '../core/leaks/containers';

const GROUP = 'heaplens-containers';

const SIZE = `(c) => (Array.isArray(c) ? c.length : c.size)`;

/** Run on the array queryObjects returns: appends the big ones and their counts to the note. */
const NOTE = `function (name, min) {
  const size = ${SIZE};
  if (!Object.prototype.hasOwnProperty.call(globalThis, name))
    Object.defineProperty(globalThis, name, { value: [], configurable: true });
  const note = globalThis[name];
  for (const c of this) {
    const n = size(c);
    if (c !== note && n >= min) note.push(c, String(n));
  }
}`;

/** The counts now, in the note's order; the note is removed. */
const READ = `(function (name) {
  const size = ${SIZE};
  const note = globalThis[name];
  if (!Array.isArray(note)) return [];
  const out = [];
  for (let i = 0; i < note.length; i += 2) out.push(size(note[i]));
  delete globalThis[name];
  return out;
})`;

/** Notes the containers; best effort (a program where it fails is hunted without it). */
export async function noteContainers(client: CdpClient): Promise<void> {
  try {
    for (const proto of ['Array.prototype', 'Set.prototype', 'Map.prototype']) {
      const p = await client.send('Runtime.evaluate', {
        expression: proto,
        objectGroup: GROUP,
        silent: true,
      });
      if (!p.result.objectId) continue;
      const found = await client.send('Runtime.queryObjects', {
        prototypeObjectId: p.result.objectId,
        objectGroup: GROUP,
      });
      if (!found.objects.objectId) continue;
      await client.send('Runtime.callFunctionOn', {
        objectId: found.objects.objectId,
        functionDeclaration: NOTE,
        arguments: [{ value: CONTAINER_NOTE }, { value: MIN_NOTED_ENTRIES }],
        silent: true,
      });
    }
  } catch {
    // The note is evidence for one kind of leak only: without it the hunt goes on.
  } finally {
    await client.send('Runtime.releaseObjectGroup', { objectGroup: GROUP }).catch(() => undefined);
  }
}

/** The noted containers' counts now (empty without a note), and the note removed. */
export async function readContainerNote(client: CdpClient): Promise<number[]> {
  try {
    const r = await client.send('Runtime.evaluate', {
      expression: `${READ}(${JSON.stringify(CONTAINER_NOTE)})`,
      returnByValue: true,
      silent: true,
    });
    const v: unknown = r.result.value;
    return Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : [];
  } catch {
    return [];
  }
}
