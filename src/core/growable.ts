// Append-only typed arrays for the small sections whose length the header does not give
// (samples, locations, trace function infos). They grow by doubling, and end as a view of the
// array when it is at least half full: a copy to the exact length held the content twice
// until a collection, which after a load may not come (s100's locations: 4 MB left over at the
// peak beside the 2 MB copy), while the empty half of an array that big is mapped memory
// never touched, so never resident.
const viewOrCopy = <T extends Float64Array | Uint32Array>(a: T, n: number): T =>
  (2 * n >= a.length ? a.subarray(0, n) : a.slice(0, n)) as T;

export class GrowableF64 {
  private a = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) this.grow(this.length + 1);
    this.a[this.length++] = v;
  }
  pushAll(src: Float64Array, n: number): void {
    if (this.length + n > this.a.length) this.grow(this.length + n);
    this.a.set(src.subarray(0, n), this.length);
    this.length += n;
  }
  toArray(): Float64Array {
    return viewOrCopy(this.a, this.length);
  }
  private grow(min: number): void {
    const b = new Float64Array(Math.max(min, this.a.length * 2));
    b.set(this.a.subarray(0, this.length));
    this.a = b;
  }
}

export class GrowableU32 {
  private a = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) this.grow(this.length + 1);
    this.a[this.length++] = v;
  }
  pushAll(src: Float64Array, n: number, onOverflow: (v: number) => void): void {
    if (this.length + n > this.a.length) this.grow(this.length + n);
    for (let i = 0; i < n; i++) {
      const v = src[i];
      if (v > 0xffffffff) onOverflow(v);
      this.a[this.length++] = v;
    }
  }
  setLast(v: number): void {
    this.a[this.length - 1] = v;
  }
  toArray(): Uint32Array {
    return viewOrCopy(this.a, this.length);
  }
  private grow(min: number): void {
    const b = new Uint32Array(Math.max(min, this.a.length * 2));
    b.set(this.a.subarray(0, this.length));
    this.a = b;
  }
}

/** Bytes gathered across chunks, decoded as UTF-8 only when complete. */
export class GrowableBytes {
  private buf = Buffer.allocUnsafe(256);
  length = 0;
  append(src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    if (this.length + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    src.copy(this.buf, this.length, start, end);
    this.length += n;
  }
  clear(): void {
    this.length = 0;
    if (this.buf.length > 1 << 20) this.buf = Buffer.allocUnsafe(256);
  }
  toString(): string {
    return this.buf.toString('utf8', 0, this.length);
  }
}
