// The native frame compressor (native/zstd-frame.c): built wherever libzstd-dev is, and its frames
// are standard ones that node:zlib's decoder and the zstd CLI read back, with size and checksum.

import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zstdNative } from '../../../controller/formats/zstd-native.ts';
import { mixedBytes } from './fixtures.ts';

describe('native zstd frames', () => {
  it('is built wherever libzstd-dev is installed', () => {
    if (existsSync('/usr/include/zstd.h') && process.env.IMAGEBOX_ZSTD !== 'zlib') {
      expect(zstdNative, 'npm ci builds build/zstd-frame.node (native/build.mjs)').toBeDefined();
    }
  });

  it.skipIf(!zstdNative)('makes frames that decode to their source, with content size and checksum, at any level in turn', () => {
    const out = new Uint8Array(1 << 21);
    const sources = [mixedBytes(1 << 20), randomBytes(70_001), Buffer.alloc(4096), Buffer.from('a')];
    for (const level of [1, 19, 3, 1]) {
      for (const src of sources) {
        const n = zstdNative!.compressFrame(src, out, level);
        const frame = Buffer.from(out.subarray(0, n));
        expect(zlib.zstdDecompressSync(frame).equals(src)).toBe(true);
        // Frame header descriptor: checksum flag is bit 2; a content size field is present
        // (single-segment, or a size flag) so readers know each frame's length up front.
        const fhd = frame[4]!;
        expect(fhd & 0x04, 'checksum flag').toBe(0x04);
        expect((fhd & 0x20) !== 0 || fhd >> 6 !== 0, 'content size').toBe(true);
      }
    }
  });

  it.skipIf(!zstdNative)('throws when the frame does not fit, and the next frame is whole again', () => {
    const src = randomBytes(100_000);
    expect(() => zstdNative!.compressFrame(src, new Uint8Array(1000), 1)).toThrow();
    const out = new Uint8Array(200_000);
    const n = zstdNative!.compressFrame(src, out, 1);
    expect(zlib.zstdDecompressSync(out.subarray(0, n)).equals(src)).toBe(true);
  });

  it.skipIf(!zstdNative)('refuses a level zstd does not have', () => {
    expect(() => zstdNative!.compressFrame(Buffer.from('x'), new Uint8Array(100), 0)).toThrow(/level/);
    expect(() => zstdNative!.compressFrame(Buffer.from('x'), new Uint8Array(100), 23)).toThrow(/level/);
  });
});
