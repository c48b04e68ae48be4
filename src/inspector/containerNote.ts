// The hunt's note of the program's containers (src/core/leaks/containers.ts says why): just
// before the start mark, every Array, Set and Map with at least MIN_NOTED_ENTRIES entries (by a
// WeakRef, so the note keeps nothing alive) and its count; after the final snapshot, their
// counts again. The note is an array the inspector holds for us (a remote object in our own
// object group), never a property of the program's objects. Runtime.queryObjects finds every
// object whose prototype chain has the given prototype (subclasses too), after a
// memory-reducing full GC. That GC is felt: it flushes compiled code and feedback, and in the
// graceful-fs reload scenario, whose two chains (ReadStream, WriteStream) tie, it changes which
// one names the leak, even when done before the warm-up. Done before the warm-up it would also
// miss every container the warm-up fills (an empty `[]` at module load), so it is done here.

import type { CdpClient } from './cdp';
import { CONTAINER_NOTE, MIN_NOTED_ENTRIES } from '../core/leaks/containers';

/** Holds the note from the start mark until it is read. */
const NOTE_GROUP = 'heaplens-container-note';
/** Holds what queryObjects returns, released at once. */
const QUERY_GROUP = 'heaplens-container-query';

// Only arrays, Sets and Maps are asked their size: a getter of any other object is the program's.
const SIZE = `(c) => (Array.isArray(c) ? c.length : c instanceof Set || c instanceof Map ? c.size : -1)`;

/** Run on the array queryObjects returns: appends the big ones to the note. */
const NOTE = `function (note, min) {
  const size = ${SIZE};
  for (const c of this) if (c !== note && size(c) >= min) note.push(new WeakRef(c));
}`;

/** Run on the note at the start mark: [name, WeakRef, "count", …] for the containers alive. */
const COUNT = `function () {
  const size = ${SIZE};
  const refs = this.slice(1);
  this.length = 1;
  for (const r of refs) {
    const c = r.deref();
    if (c !== undefined) this.push(r, String(size(c)));
  }
}`;

/** Run on the note: the counts now, in its order (-1 for a container collected since). */
const READ = `function () {
  const size = ${SIZE};
  const out = [];
  for (let i = 1; i < this.length; i += 2) {
    const c = this[i].deref();
    out.push(c === undefined ? -1 : size(c));
  }
  return out;
}`;

/** The note of each debuggee, by its client, from noteContainers to readContainerNote. */
const notes = new WeakMap<CdpClient, string>();

/** Notes the big containers; best effort (without it the hunt goes on). */
export async function noteContainers(client: CdpClient): Promise<void> {
  try {
    // Its first element names it, so the analysis finds it in the snapshot (containers.ts).
    const note = await client.send('Runtime.evaluate', {
      expression: `[${JSON.stringify(CONTAINER_NOTE)}]`,
      objectGroup: NOTE_GROUP,
      silent: true,
    });
    const noteId = note.result.objectId;
    if (!noteId) return;
    notes.set(client, noteId);
    // One query (one memory-reducing GC, the costly part on a big heap): every object under
    // Object.prototype, of which NOTE keeps the big arrays, Sets and Maps.
    for (const proto of ['Object.prototype']) {
      const p = await client.send('Runtime.evaluate', {
        expression: proto,
        objectGroup: QUERY_GROUP,
        silent: true,
      });
      if (!p.result.objectId) continue;
      const found = await client.send('Runtime.queryObjects', {
        prototypeObjectId: p.result.objectId,
        objectGroup: QUERY_GROUP,
      });
      if (!found.objects.objectId) continue;
      await client.send('Runtime.callFunctionOn', {
        objectId: found.objects.objectId,
        functionDeclaration: NOTE,
        arguments: [{ objectId: noteId }, { value: MIN_NOTED_ENTRIES }],
        silent: true,
      });
    }
  } catch {
    // The note is evidence for one kind of leak only: without it the hunt goes on.
  } finally {
    await client.send('Runtime.releaseObjectGroup', { objectGroup: QUERY_GROUP }).catch(() => undefined);
  }
}

/** At the start mark: each noted container's count, in the note (made before the mark, so old). */
export async function countNotedContainers(client: CdpClient): Promise<void> {
  const noteId = notes.get(client);
  if (!noteId) return;
  await client
    .send('Runtime.callFunctionOn', { objectId: noteId, functionDeclaration: COUNT, silent: true })
    .catch(() => notes.delete(client));
}

/** The noted containers' counts now (empty without a note), and the note let go. */
export async function readContainerNote(client: CdpClient): Promise<number[]> {
  const noteId = notes.get(client);
  if (!noteId) return [];
  notes.delete(client);
  try {
    const r = await client.send('Runtime.callFunctionOn', {
      objectId: noteId,
      functionDeclaration: READ,
      returnByValue: true,
      silent: true,
    });
    const v: unknown = r.result.value;
    return Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : [];
  } catch {
    return [];
  } finally {
    await client.send('Runtime.releaseObjectGroup', { objectGroup: NOTE_GROUP }).catch(() => undefined);
  }
}
