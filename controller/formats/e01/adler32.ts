// Adler-32, the checksum EWF puts on every section descriptor, table, header block and stored
// chunk. node:zlib computes it inside deflate streams but does not export it.

const MOD = 65521;
/** The most bytes that can be summed before `b` could pass 2^32 (zlib's NMAX). */
const NMAX = 5552;

export function adler32(data: Uint8Array, start = 0, end = data.length): number {
  let a = 1;
  let b = 0;
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
