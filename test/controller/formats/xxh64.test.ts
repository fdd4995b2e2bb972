// XXH64 against the published vectors, an independent implementation (hash-wasm) and the checksums
// the zstd CLI writes into frames.

import { spawnSync } from 'node:child_process';
import { createXXHash64 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { xxh64, xxh64Low32 } from '../../../controller/formats/xxh64.ts';
import { hasZstd, mixedBytes } from './fixtures.ts';

describe('xxh64', () => {
  it('matches the reference vectors', () => {
    expect(xxh64(Buffer.from(''))).toBe(0xef46db3751d8e999n);
    expect(xxh64(Buffer.from('a'))).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxh64(Buffer.from('abc'))).toBe(0x44bc2cf5ad770999n);
  });

  it('matches hash-wasm for every tail length, long inputs and seeds', async () => {
    const data = mixedBytes(300_000, 7);
    // Every length 0..100 covers each tail path (bytes, a 4-byte lane, 8-byte lanes, 32-byte stripes).
    const lengths = [...Array(101).keys(), 255, 256, 1023, 65_537, 300_000];
    for (const seed of [0, 1, 0x9e3779b1]) {
      const ref = await createXXHash64(seed, 0);
      for (const n of lengths) {
        ref.init();
        ref.update(data.subarray(0, n));
        expect(xxh64(data.subarray(0, n), BigInt(seed)).toString(16).padStart(16, '0'), `len ${n} seed ${seed}`).toBe(ref.digest('hex'));
      }
    }
  });

  it('hashes a view at any offset of a larger buffer', () => {
    const data = mixedBytes(10_000, 3);
    expect(xxh64(data.subarray(13, 9_000))).toBe(xxh64(Buffer.from(data.subarray(13, 9_000))));
  });

  it.skipIf(!hasZstd)('gives the low 32 bits zstd --check writes at the end of a frame', () => {
    for (const n of [0, 5, 100_000]) {
      const data = mixedBytes(n, n + 1);
      const r = spawnSync('zstd', ['-q', '-c', '--check', '--no-progress'], { input: data });
      expect(r.status).toBe(0);
      expect(xxh64Low32(data)).toBe(r.stdout.readUInt32LE(r.stdout.length - 4));
    }
  });
});
