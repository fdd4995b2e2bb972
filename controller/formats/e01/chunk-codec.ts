// One chunk as stored: a whole zlib stream when deflating shrinks it, otherwise the raw bytes
// followed by their Adler-32 (little-endian), as EnCase does.

import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { adler32, hex32 } from './adler32.ts';
import { CHUNK_BYTES, type E01Compression } from './e01-types.ts';
import { isal, type IsalDeflate } from './isal-deflate.ts';

const inflate = promisify(zlib.inflate);

export const ZLIB_LEVEL: Record<E01Compression, number> = { none: 0, fast: 1, best: 9 };

export interface StoredChunk {
  /** The deflated stream, or the chunk's own bytes. */
  readonly body: Buffer;
  /** The 4-byte Adler-32 that follows a raw chunk; absent for a deflated one. */
  readonly checksum?: Buffer;
  readonly compressed: boolean;
  readonly size: number;
}

/**
 * One chunk as E01 stores it, on the caller's thread (the deflate workers, deflate-worker.ts).
 * `igzip` is ISA-L where it was built (isal-deflate.ts); undefined, zlib does all of it.
 */
export function encodeChunkSync(data: Buffer, compression: E01Compression, igzip: IsalDeflate | undefined = isal): StoredChunk {
  if (compression !== 'none' && isZeros(data)) return zeroChunk(data.length, compression);
  if (compression === 'none' || looksIncompressible(data, igzip)) return rawChunk(data, igzip ? igzip.adler32(data) : adler32(data));
  if (compression === 'fast' && igzip) return igzipChunk(igzip, data);
  // memLevel 6 halves the state each call allocates (hash and pending buffers) and, on 32 KiB
  // chunks, gives the same output here: a thread's memory stays smaller while the collector lags.
  const z = zlib.deflateSync(data, { level: ZLIB_LEVEL[compression], memLevel: 6 });
  if (z.length < data.length) return { body: z, compressed: true, size: z.length };
  // A zlib stream ends with the big-endian Adler-32 of its input: no need to sum the bytes again.
  return rawChunk(data, z.readUInt32BE(z.length - 4));
}

/** Room for a deflated chunk: one that does not fit is not smaller, and is stored raw. */
const scratch = new Uint8Array(CHUNK_BYTES);

function igzipChunk(igzip: IsalDeflate, data: Buffer): StoredChunk {
  const n = igzip.deflateChunk(data, scratch.subarray(0, data.length - 1), 1);
  if (n < 0) return rawChunk(data, igzip.adler32(data));
  const body = Buffer.from(scratch.subarray(0, n));
  return { body, compressed: true, size: n };
}

const ZEROS = Buffer.alloc(CHUNK_BYTES);
const zeroChunks = new Map<string, StoredChunk>();

function isZeros(data: Buffer): boolean {
  return data.length <= ZEROS.length && data.equals(ZEROS.subarray(0, data.length));
}

/**
 * Unused areas of a disk are zeros, often a third of it: their chunk is deflated once per size and
 * level, not each time (a memory compare instead of about 40 µs of deflate).
 */
function zeroChunk(length: number, compression: E01Compression): StoredChunk {
  const key = `${length}/${compression}`;
  let c = zeroChunks.get(key);
  if (!c) {
    const z = zlib.deflateSync(ZEROS.subarray(0, length), { level: ZLIB_LEVEL[compression] });
    c = { body: z, compressed: true, size: z.length };
    zeroChunks.set(key, c);
  }
  return c;
}

/** Sampled bytes per chunk for the entropy estimate: every 4th byte. */
const SAMPLE_STEP = 4;
/**
 * Bits per byte above which deflate could save at most about 1% from literal coding. Random 32 KiB
 * samples measure about 7.976 here; JPEG and compressed archives sit near this line.
 */
const RANDOM_ENTROPY = 7.95;

/**
 * Whether a chunk's byte distribution is so flat that deflating it is hopeless. Deflating random
 * data runs at 25-45 MB/s on one core, against about 1 GB/s for this estimate, so encrypted or
 * already-compressed areas stop being the bottleneck. The price: a chunk of flat bytes that
 * repeats itself within 32 KiB is stored raw where deflate would have shrunk it.
 */
export function looksIncompressible(data: Uint8Array, igzip: IsalDeflate | undefined = isal): boolean {
  if (data.length < 4096) return false;
  if (igzip) return igzip.sampledEntropy(data, SAMPLE_STEP) >= RANDOM_ENTROPY;
  const counts = new Uint32Array(256);
  for (let i = 0; i < data.length; i += SAMPLE_STEP) counts[data[i]]++;
  const n = Math.ceil(data.length / SAMPLE_STEP);
  let bits = 0;
  for (let k = 0; k < 256; k++) {
    const c = counts[k];
    if (c !== 0) bits -= (c / n) * Math.log2(c / n);
  }
  return bits >= RANDOM_ENTROPY;
}

function rawChunk(data: Buffer, sum: number): StoredChunk {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(sum, 0);
  return { body: data, checksum, compressed: false, size: data.length + 4 };
}

/** The media bytes of a stored chunk; throws saying what is wrong (the caller says where). */
export async function decodeChunk(stored: Buffer, compressed: boolean, expectedLength: number): Promise<Buffer> {
  if (compressed) {
    let out: Buffer;
    try {
      out = await inflate(stored);
    } catch (e) {
      throw new Error(`deflated data does not inflate (${e instanceof Error ? e.message : String(e)})`);
    }
    if (out.length !== expectedLength) throw new Error(`inflates to ${out.length} bytes, expected ${expectedLength}`);
    return out;
  }
  if (stored.length !== expectedLength + 4) throw new Error(`stored chunk is ${stored.length} bytes, expected ${expectedLength + 4}`);
  const data = stored.subarray(0, expectedLength);
  const want = stored.readUInt32LE(expectedLength);
  const got = adler32(data);
  if (want !== got) throw new Error(`Adler-32 mismatch (stored 0x${hex32(want)}, computed 0x${hex32(got)})`);
  return data;
}
