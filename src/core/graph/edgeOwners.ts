// The node an edge comes from, without 4 bytes an edge. Edges are stored grouped by owner, in
// node order (firstEdge[o]..firstEdge[o+1]), so the owner of edge e is the last node whose
// first edge is at or before e. A binary search over all of firstEdge would read ~25 places far
// apart; instead the owner of every 16th edge is written down (a quarter byte an edge), which
// leaves a search between two neighbouring entries: for a heap's few edges a node, a couple of
// reads in one cache line of firstEdge. Nodes without edges (strings, numbers) can make the
// range between two entries long, hence the binary search before the final steps.

/** log2 of the edges between two entries of the owner table. */
const BLOCK_SHIFT = 4;

/** owners[b]: the node that edge b·16 comes from; in shared memory when firstEdge is. */
export function edgeOwnerBlocks(firstEdge: Uint32Array, nodeCount: number, edgeCount: number): Uint32Array {
  const blockSize = 1 << BLOCK_SHIFT;
  const bytes = ((edgeCount + blockSize - 1) >>> BLOCK_SHIFT) * 4;
  const owners = new Uint32Array(
    firstEdge.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
  let b = 0;
  for (let o = 0; o < nodeCount && b < owners.length; o++) {
    const end = firstEdge[o + 1];
    while (b < owners.length && b * blockSize < end) owners[b++] = o;
  }
  return owners;
}

/** The node edge `e` comes from, given the table edgeOwnerBlocks made from the same firstEdge. */
export function edgeOwnerOf(firstEdge: Uint32Array, owners: Uint32Array, e: number): number {
  const b = e >>> BLOCK_SHIFT;
  let lo = owners[b];
  // The owner of the next entry's edge comes after e, so it is at or after e's owner.
  let hi = b + 1 < owners.length ? owners[b + 1] : firstEdge.length - 2;
  // Invariant: firstEdge[lo] <= e, and e's owner is in lo..hi.
  while (hi - lo > 8) {
    const mid = lo + ((hi - lo + 1) >>> 1);
    if (firstEdge[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  while (firstEdge[lo + 1] <= e) lo++;
  return lo;
}
