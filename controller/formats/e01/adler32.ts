// Adler-32, the checksum EWF puts on every section descriptor, table, header block and stored
// chunk. node:zlib computes it inside deflate streams but does not export it.

const MOD = 65521;
/** The most bytes that can be summed before `b` could pass 2^32 (zlib's NMAX). */
const NMAX = 5552;

export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  if (LITTLE_ENDIAN && (data.byteOffset + start) % 4 === 0 && end - start >= 64) return adler32Words(data, start, end);
  return adler32Bytes(data, 1, 0, start, end);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function adler32Bytes(data: Uint8Array, a: number, b: number, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const stop = Math.min(i + NMAX, end);
    for (; i < stop; i++) {
      a += data[i];
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Four bytes a step, twice as fast as a byte at a time (a raw chunk is summed in full): for bytes
 * x0..x3, b gains 4a + 4x0 + 3x1 + 2x2 + x3 and a gains their sum. The sums stay far below 2^53
 * within NMAX bytes, so doubles keep them exact.
 */
function adler32Words(data: Uint8Array, start: number, end: number): number {
  const words = new Uint32Array(data.buffer, data.byteOffset + start, (end - start) >>> 2);
  let a = 1;
  let b = 0;
  let j = 0;
  while (j < words.length) {
    const stop = Math.min(j + NMAX / 4, words.length);
    for (; j < stop; j++) {
      const w = words[j];
      const x0 = w & 255;
      const x1 = (w >>> 8) & 255;
      const x2 = (w >>> 16) & 255;
      const x3 = w >>> 24;
      b += 4 * a + 4 * x0 + 3 * x1 + 2 * x2 + x3;
      a += x0 + x1 + x2 + x3;
    }
    a %= MOD;
    b %= MOD;
  }
  return adler32Bytes(data, a, b, start + words.length * 4, end);
}

/** Fills the last 4 bytes of `block` with the Adler-32 of everything before them (little-endian). */
export function sealBlock(block: Buffer): Buffer {
  block.writeUInt32LE(adler32(block, 0, block.length - 4), block.length - 4);
  return block;
}

/** Whether the last 4 bytes of `block` hold the Adler-32 of everything before them. */
export function blockSealed(block: Buffer): boolean {
  return block.length >= 4 && block.readUInt32LE(block.length - 4) === adler32(block, 0, block.length - 4);
}

/** How checksums are shown in messages. */
export function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
