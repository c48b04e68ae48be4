// Scratch memory that is given back the moment it is dead, not when its isolate next collects.
// A typed array's memory is freed only once the collector finds the array dead, and after a
// load's big steps nothing allocates enough to make it look: the distance search's queue
// (2 bytes a node) stayed resident, dead, through the dominator search's peak. An ArrayBuffer
// made resizable can be shrunk to nothing, which unmaps its pages at once (V8 reserves its
// maximum and commits as it grows). Access through such a buffer costs more in a hot loop
// (V8 checks its length can have changed), so only memory touched a few times a node is made so.

type Resizable = ArrayBuffer & { resize(bytes: number): void; readonly resizable: boolean };
const ResizableBuffer = ArrayBuffer as unknown as new (
  bytes: number,
  o: { maxByteLength: number },
) => Resizable;

/** `slots` 32-bit slots, zeroed, whose memory release() gives back. */
export function releasableUint32(slots: number): Uint32Array {
  const bytes = slots * 4;
  return new Uint32Array(new ResizableBuffer(bytes, { maxByteLength: bytes }), 0, slots);
}

/** Gives back the memory of an array from releasableUint32 (which is then empty); else nothing. */
export function release(a: Uint32Array): void {
  const b = a.buffer as Resizable;
  if (b.resizable) b.resize(0);
}
