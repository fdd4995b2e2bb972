// The table section (and its mirror, table2): where each chunk of one sectors section starts.
// Entries are u32 offsets from the table's base offset (the sectors section's descriptor), the top
// bit set when the chunk is deflated; a 24-byte header and a trailing Adler-32 guard them.

import { adler32, blockSealed, hex32 } from './adler32.ts';
import { DESCRIPTOR_SIZE } from './section.ts';

export const TABLE_HEADER_SIZE = 24;
/** libewf and EnCase stop a table here, because FTK could not read longer ones. */
export const MAX_TABLE_ENTRIES = 16375;
export const COMPRESSED_FLAG = 0x80000000;
/** Offsets are 31 bits, so a sectors section's chunks must start within 2 GiB of its base. */
export const MAX_RELATIVE_OFFSET = 0x7fffffff;

/** The table section's body (without its descriptor). */
export function encodeTable(baseOffset: number, entries: Uint32Array): Buffer {
  const n = entries.length;
  const b = Buffer.alloc(TABLE_HEADER_SIZE + 4 * n + 4);
  b.writeUInt32LE(n, 0);
  b.writeBigUInt64LE(BigInt(baseOffset), 8);
  b.writeUInt32LE(adler32(b, 0, 20), 20);
  for (let i = 0; i < n; i++) b.writeUInt32LE(entries[i], TABLE_HEADER_SIZE + 4 * i);
  const end = TABLE_HEADER_SIZE + 4 * n;
  b.writeUInt32LE(adler32(b, TABLE_HEADER_SIZE, end), end);
  return b;
}

export function tableSectionSize(entries: number): number {
  return DESCRIPTOR_SIZE + TABLE_HEADER_SIZE + 4 * entries + 4;
}

export interface TableHeader {
  readonly count: number;
  readonly baseOffset: number;
}

export function decodeTableHeader(b: Buffer, where: string): TableHeader {
  if (!blockSealed(b.subarray(0, TABLE_HEADER_SIZE))) throw new Error(`${where}: table header fails its Adler-32`);
  return { count: b.readUInt32LE(0), baseOffset: Number(b.readBigUInt64LE(8)) };
}

/** The raw entries of a table body of `count` entries (header included in `b`), checksum verified. */
export function decodeTableEntries(b: Buffer, count: number, where: string): Uint32Array {
  const end = TABLE_HEADER_SIZE + 4 * count;
  if (b.length < end + 4) throw new Error(`${where}: table is cut short`);
  const stored = b.readUInt32LE(end);
  const computed = adler32(b, TABLE_HEADER_SIZE, end);
  if (stored !== computed) {
    throw new Error(`${where}: table entries fail their Adler-32 (stored 0x${hex32(stored)}, computed 0x${hex32(computed)})`);
  }
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = b.readUInt32LE(TABLE_HEADER_SIZE + 4 * i);
  return out;
}
