// ISA-L's igzip for E01's 'fast' chunks, when npm install could build it (native/build.mjs). It
// deflates text about 2.7 times faster than zlib's level 1 on one core here, for streams about 8%
// larger on text (random chunks are stored raw either way). Absent, or with IMAGEBOX_DEFLATE=zlib,
// chunks are deflated by zlib; any zlib inflater reads both.
import { loadAddon } from '../native-addon.ts';

export interface IsalDeflate {
  /** A zlib stream of `src` in `out`: its length, or -1 when it does not fit. */
  deflateChunk(src: Uint8Array, out: Uint8Array, level: 0 | 1): number;
  /** Adler-32 of `src`, vectorised. */
  adler32(src: Uint8Array): number;
  /** Bits per byte of every `step`-th byte of `src` (chunk-codec.ts's estimate, in C). */
  sampledEntropy(src: Uint8Array, step: number): number;
}

export const isal = loadAddon<IsalDeflate>('isal-deflate', 'IMAGEBOX_DEFLATE');
