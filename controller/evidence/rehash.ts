// Hashing what is already on disk: the image after a rescue (whose reads were out of order, so no
// stream hash exists), and, on resume of a job hashed with node:crypto, the part written before the
// interruption. Bytes past the file's end count as zeros, as unread areas of a sparse image do.

import fs from 'node:fs/promises';
import type { Algo } from './algorithms.ts';
import { MultiHasher, type HashResult, type MultiHasherOptions } from './hasher.ts';

const CHUNK = 4 * 2 ** 20;

/** Feeds bytes [from, to) of the file to the hasher. */
export async function feedFile(hasher: Pick<MultiHasher, 'update'>, path: string, from: number, to: number, signal?: AbortSignal): Promise<void> {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && 0 <= from && from <= to)) {
    throw new RangeError(`bad range ${from}..${to}`);
  }
  const fh = await fs.open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = from;
    while (pos < to) {
      signal?.throwIfAborted();
      const want = Math.min(CHUNK, to - pos);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(buf, got, want - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      buf.fill(0, got, want);
      await hasher.update(buf.subarray(0, want));
      pos += want;
    }
  } finally {
    await fh.close();
  }
}

/** The hashes of the first `size` bytes of a file (default: its length). */
export async function hashFile<A extends Algo>(
  path: string,
  opts: MultiHasherOptions<A> & { size?: number; signal?: AbortSignal },
): Promise<HashResult<A>> {
  const size = opts.size ?? (await fs.stat(path)).size;
  const hasher = await MultiHasher.create(opts);
  try {
    await feedFile(hasher, path, 0, size, opts.signal);
    return await hasher.finish();
  } catch (e) {
    await hasher.close();
    throw e;
  }
}
