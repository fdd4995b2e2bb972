// libzstd through native/zstd-frame.c, when npm install could build it (native/build.mjs): each
// compression thread keeps one context instead of node:zlib's new one per frame, which here cost
// about 0.6 ms a frame and kept the collector busy. Absent, or with IMAGEBOX_ZSTD=zlib, frames are
// made by node:zlib; both give standard frames with their content size and checksum.
import { loadAddon } from './native-addon.ts';

export interface ZstdNative {
  /** One zstd frame of `src`, with content size and checksum, in `out`: its length. Throws when it does not fit. */
  compressFrame(src: Uint8Array, out: Uint8Array, level: number): number;
}

export const zstdNative = loadAddon<ZstdNative>('zstd-frame', 'IMAGEBOX_ZSTD');
