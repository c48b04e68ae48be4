// Horizontal placement inside one layer: put each node as close as possible to where
// its neighbours pull it (the barycenter), keeping the layer order and a minimum gap.
// That is isotonic regression, solved exactly in O(n) by pooling adjacent violators.

/**
 * @param desired wanted x per node, in layer order
 * @param gaps    minimum distance between node i and node i+1 (length n-1)
 * @returns x per node: order kept, gaps respected, sum of squared moves minimal
 */
export function placeLayer(desired: readonly number[], gaps: readonly number[]): number[] {
  const n = desired.length;
  // Substitute y_i = x_i - offset_i: "gap respected" becomes "y non-decreasing".
  const offset = new Array<number>(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    offset[i] = acc;
    acc += gaps[i] ?? 0;
  }
  // Blocks of pooled values: start index, size, mean.
  const start: number[] = [];
  const size: number[] = [];
  const mean: number[] = [];
  for (let i = 0; i < n; i++) {
    start.push(i);
    size.push(1);
    mean.push(desired[i] - offset[i]);
    while (mean.length > 1 && mean[mean.length - 2] > mean[mean.length - 1]) {
      const m2 = mean.pop()!,
        s2 = size.pop()!;
      start.pop();
      const s1 = size[size.length - 1];
      mean[mean.length - 1] = (mean[mean.length - 1] * s1 + m2 * s2) / (s1 + s2);
      size[size.length - 1] = s1 + s2;
    }
  }
  const x = new Array<number>(n);
  for (let b = 0; b < mean.length; b++) {
    for (let i = start[b]; i < start[b] + size[b]; i++) x[i] = mean[b] + offset[i];
  }
  return x;
}
