// The sections that close an image: error2 (the sector ranges that were never read), digest
// (MD5 and SHA-1 of the media) and hash (MD5 again, for readers that predate digest).

import { adler32, blockSealed, sealBlock } from './adler32.ts';
import type { SectorRange } from './e01-types.ts';

const ERROR2_HEADER = 520;
const U32_MAX = 0xffffffff;

export function encodeDigest(md5: Buffer, sha1: Buffer | undefined): Buffer {
  const b = Buffer.alloc(80);
  md5.copy(b, 0);
  sha1?.copy(b, 16);
  return sealBlock(b);
}

export function encodeHash(md5: Buffer): Buffer {
  const b = Buffer.alloc(36);
  md5.copy(b, 0);
  return sealBlock(b);
}

export interface StoredDigests {
  md5?: Buffer;
  sha1?: Buffer;
}

/** digest: MD5 then SHA-1; an all-zero hash means "not computed". */
export function decodeDigest(b: Buffer, where: string): StoredDigests {
  if (b.length < 80 || !blockSealed(b.subarray(0, 80))) throw new Error(`${where}: digest section fails its Adler-32`);
  return { md5: nonZero(b.subarray(0, 16)), sha1: nonZero(b.subarray(16, 36)) };
}

export function decodeHash(b: Buffer, where: string): StoredDigests {
  if (b.length < 36 || !blockSealed(b.subarray(0, 36))) throw new Error(`${where}: hash section fails its Adler-32`);
  return { md5: nonZero(b.subarray(0, 16)) };
}

function nonZero(b: Buffer): Buffer | undefined {
  return b.some((x) => x !== 0) ? Buffer.from(b) : undefined;
}

/**
 * Splits ranges into error2 entries (u32 start, u32 count). Ranges starting past sector 2^32 - 1
 * cannot be written in EnCase 6's layout: they come back as `unrecorded`, for the acquisition
 * record to carry instead.
 */
export function error2Entries(ranges: readonly SectorRange[]): { entries: SectorRange[]; unrecorded: SectorRange[] } {
  const entries: SectorRange[] = [];
  const unrecorded: SectorRange[] = [];
  for (const r of ranges) {
    if (!Number.isSafeInteger(r.firstSector) || !Number.isSafeInteger(r.sectorCount) || r.firstSector < 0 || r.sectorCount <= 0) {
      throw new RangeError(`impossible unread range ${r.firstSector}+${r.sectorCount}`);
    }
    let first = r.firstSector;
    let left = r.sectorCount;
    while (left > 0 && first <= U32_MAX) {
      const n = Math.min(left, U32_MAX);
      entries.push({ firstSector: first, sectorCount: n });
      first += n;
      left -= n;
    }
    if (left > 0) unrecorded.push({ firstSector: first, sectorCount: left });
  }
  return { entries, unrecorded };
}

export function encodeError2(entries: readonly SectorRange[]): Buffer {
  const b = Buffer.alloc(ERROR2_HEADER + 8 * entries.length + 4);
  b.writeUInt32LE(entries.length, 0);
  sealBlock(b.subarray(0, ERROR2_HEADER));
  entries.forEach((e, i) => {
    b.writeUInt32LE(e.firstSector, ERROR2_HEADER + 8 * i);
    b.writeUInt32LE(e.sectorCount, ERROR2_HEADER + 8 * i + 4);
  });
  const end = ERROR2_HEADER + 8 * entries.length;
  b.writeUInt32LE(adler32(b, ERROR2_HEADER, end), end);
  return b;
}

export function decodeError2(b: Buffer, where: string): SectorRange[] {
  if (b.length < ERROR2_HEADER || !blockSealed(b.subarray(0, ERROR2_HEADER))) {
    throw new Error(`${where}: error2 header fails its Adler-32`);
  }
  const n = b.readUInt32LE(0);
  const end = ERROR2_HEADER + 8 * n;
  if (b.length < end + 4 || b.readUInt32LE(end) !== adler32(b, ERROR2_HEADER, end)) {
    throw new Error(`${where}: error2 entries fail their Adler-32`);
  }
  const out: SectorRange[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ firstSector: b.readUInt32LE(ERROR2_HEADER + 8 * i), sectorCount: b.readUInt32LE(ERROR2_HEADER + 8 * i + 4) });
  }
  return out;
}
