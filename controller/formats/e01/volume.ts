// The volume section (and its copy, the data section): the media's geometry, the chunk layout,
// the compression level and the set identifier that ties a set of segment files together.

import { blockSealed, sealBlock } from './adler32.ts';
import type { E01Compression, E01MediaType } from './e01-types.ts';

export const VOLUME_SIZE = 1052;

export interface VolumeInfo {
  readonly mediaType: E01MediaType;
  readonly physical: boolean;
  readonly chunkCount: number;
  readonly sectorsPerChunk: number;
  readonly bytesPerSector: number;
  readonly sectorCount: number;
  readonly compression: E01Compression;
  readonly errorGranularity: number;
  readonly setId: Buffer;
}

const MEDIA_TYPE_CODES: Record<E01MediaType, number> = { removable: 0x00, fixed: 0x01, optical: 0x03, memory: 0x10 };
const COMPRESSION_CODES: Record<E01Compression, number> = { none: 0, fast: 1, best: 2 };
/** Bit 0 is set in every image EnCase writes; bit 1 says a whole device, not a partition. */
const FLAG_IMAGE = 0x01;
const FLAG_PHYSICAL = 0x02;

export function encodeVolume(v: VolumeInfo): Buffer {
  const b = Buffer.alloc(VOLUME_SIZE);
  b.writeUInt8(MEDIA_TYPE_CODES[v.mediaType], 0);
  b.writeUInt32LE(v.chunkCount, 4);
  b.writeUInt32LE(v.sectorsPerChunk, 8);
  b.writeUInt32LE(v.bytesPerSector, 12);
  b.writeBigUInt64LE(BigInt(v.sectorCount), 16);
  b.writeUInt8(FLAG_IMAGE | (v.physical ? FLAG_PHYSICAL : 0), 36);
  b.writeUInt8(COMPRESSION_CODES[v.compression], 52);
  b.writeUInt32LE(v.errorGranularity, 56);
  v.setId.copy(b, 64, 0, 16);
  return sealBlock(b);
}

export function decodeVolume(b: Buffer, where: string): VolumeInfo {
  if (b.length < VOLUME_SIZE || !blockSealed(b.subarray(0, VOLUME_SIZE))) {
    throw new Error(`${where}: volume section fails its Adler-32`);
  }
  const mediaType = (Object.keys(MEDIA_TYPE_CODES) as E01MediaType[]).find((k) => MEDIA_TYPE_CODES[k] === b[0]) ?? 'fixed';
  const compression = (Object.keys(COMPRESSION_CODES) as E01Compression[]).find((k) => COMPRESSION_CODES[k] === b[52]) ?? 'none';
  const v: VolumeInfo = {
    mediaType,
    physical: (b[36] & FLAG_PHYSICAL) !== 0,
    chunkCount: b.readUInt32LE(4),
    sectorsPerChunk: b.readUInt32LE(8),
    bytesPerSector: b.readUInt32LE(12),
    sectorCount: Number(b.readBigUInt64LE(16)),
    compression,
    errorGranularity: b.readUInt32LE(56),
    setId: Buffer.from(b.subarray(64, 80)),
  };
  if (v.sectorsPerChunk === 0 || v.bytesPerSector === 0 || v.bytesPerSector % 512 !== 0) {
    throw new Error(`${where}: volume section has an impossible geometry (${v.sectorsPerChunk} sectors per chunk of ${v.bytesPerSector} bytes)`);
  }
  return v;
}
