// Reading a snapshot file: a read stream feeds the parser chunk by chunk, so the file is
// never held whole, and progress is reported in bytes.

import fs from 'node:fs';
import { SnapshotParser } from './parser';
import { HeapSnapshot } from './snapshot';
import { SnapshotError } from './errors';

export interface LoadOptions {
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  signal?: AbortSignal;
  chunkSize?: number;
}

export async function loadSnapshotFile(path: string, options: LoadOptions = {}): Promise<HeapSnapshot> {
  const total = (await fs.promises.stat(path)).size;
  const parser = new SnapshotParser({ totalBytes: total });
  const stream = fs.createReadStream(path, { highWaterMark: options.chunkSize ?? 1 << 20 });
  try {
    for await (const chunk of stream) {
      if (options.signal?.aborted)
        throw new SnapshotError('cancelled', 'loading was cancelled', parser.bytesRead);
      parser.write(chunk as Buffer);
      options.onProgress?.(parser.bytesRead, total);
    }
  } finally {
    stream.destroy();
  }
  return parser.end();
}
