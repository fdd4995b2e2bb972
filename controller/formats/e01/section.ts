// The 76-byte descriptor in front of every EWF section: type, where the next section starts, how
// long this one is, and an Adler-32 over the first 72 bytes.

import { adler32, hex32, sealBlock } from './adler32.ts';

export const DESCRIPTOR_SIZE = 76;
const TYPE_FIELD = 16;

export interface SectionDescriptor {
  readonly type: string;
  /** Where this descriptor starts in its segment file. */
  readonly offset: number;
  /** Absolute offset of the next section; `next` and `done` point at themselves. */
  readonly next: number;
  /** The section's size including this descriptor; 0 for `next` and `done`, as EnCase writes them. */
  readonly size: number;
}

export function encodeDescriptor(type: string, offset: number, size: number): Buffer {
  const last = type === 'next' || type === 'done';
  const b = Buffer.alloc(DESCRIPTOR_SIZE);
  b.write(type, 0, TYPE_FIELD, 'latin1');
  b.writeBigUInt64LE(BigInt(last ? offset : offset + size), 16);
  b.writeBigUInt64LE(BigInt(last ? 0 : size), 24);
  return sealBlock(b);
}

/** Decodes the descriptor read at `offset`; throws naming the file and offset when it is damaged. */
export function decodeDescriptor(b: Buffer, offset: number, file: string): SectionDescriptor {
  if (b.length < DESCRIPTOR_SIZE) throw new Error(`${file}: section descriptor at offset ${offset} is cut short`);
  const stored = b.readUInt32LE(72);
  const computed = adler32(b, 0, 72);
  if (stored !== computed) {
    throw new Error(
      `${file}: section descriptor at offset ${offset} fails its Adler-32 (stored 0x${hex32(stored)}, computed 0x${hex32(computed)})`,
    );
  }
  const nul = b.indexOf(0, 0);
  const type = b.toString('latin1', 0, nul >= 0 && nul < TYPE_FIELD ? nul : TYPE_FIELD);
  const next = Number(b.readBigUInt64LE(16));
  const size = Number(b.readBigUInt64LE(24));
  return { type, offset, next, size };
}
