// Deterministic test images: random, zero and text-like pieces in turn (as a used disk holds), so
// compression, frame boundaries and corruption all behave as on real data.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImageWriter } from '../../../controller/formats/types.ts';

export function mixedBytes(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let s = seed >>> 0 || 1;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const words = ['sector ', 'drive ', 'image ', 'evidence ', 'read ', 'error\n', 'the ', 'of '];
  const piece = 1531; // prime, so pieces straddle every frame and segment boundary differently
  for (let at = 0, k = 0; at < size; at += piece, k++) {
    const end = Math.min(size, at + piece);
    if (k % 3 === 0) for (let i = at; i < end; i++) b[i] = next() >>> 24;
    else if (k % 3 === 2) {
      let i = at;
      while (i < end) i += b.write(words[next() % words.length], i, end - i);
    }
  }
  return b;
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Hands `data` to the writer in uneven chunks, as a rescue delivers them. */
export async function writeInChunks(w: ImageWriter, data: Buffer, sizes = [777, 5000, 1, 12_345]): Promise<string[]> {
  for (let at = 0, k = 0; at < data.length; k++) {
    const n = Math.min(sizes[k % sizes.length], data.length - at);
    await w.write(data.subarray(at, at + n));
    at += n;
  }
  return (await w.close()).files;
}

export const hasZstd = spawnSync('zstd', ['--version']).status === 0;
