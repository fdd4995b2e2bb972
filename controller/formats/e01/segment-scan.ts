// Walks one segment file's chain of sections from its file header, checking each descriptor's
// Adler-32 and that the chain only moves forward and stays inside the file.

import type { FileHandle } from 'node:fs/promises';
import { readExactly } from '../file-io.ts';
import { DESCRIPTOR_SIZE, decodeDescriptor } from './section.ts';
import type { SectionDescriptor } from './section.ts';

const SIGNATURE = Buffer.from([0x45, 0x56, 0x46, 0x09, 0x0d, 0x0a, 0xff, 0x00]);
export const FILE_HEADER_SIZE = 13;

export interface SegmentLayout {
  readonly number: number;
  readonly size: number;
  /** Every section in file order, ending with `next` or `done` (or cut short: see `end`). */
  readonly sections: SectionDescriptor[];
  readonly end: 'next' | 'done';
}

export async function scanSegment(fh: FileHandle, path: string, expectedNumber: number): Promise<SegmentLayout> {
  const size = (await fh.stat()).size;
  if (size < FILE_HEADER_SIZE) throw new Error(`${path}: ${size} bytes, too short for an EWF segment`);
  const head = await readExactly(fh, Buffer.alloc(FILE_HEADER_SIZE), 0);
  if (!head.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${path}: not an EWF (E01) segment file (bad signature)`);
  const number = head.readUInt16LE(9);
  if (number !== expectedNumber) throw new Error(`${path}: holds segment number ${number}, expected ${expectedNumber}`);
  const sections: SectionDescriptor[] = [];
  const buf = Buffer.alloc(DESCRIPTOR_SIZE);
  let at = FILE_HEADER_SIZE;
  for (;;) {
    if (at + DESCRIPTOR_SIZE > size) {
      throw new Error(`${path}: ends at ${size} inside or before the section expected at offset ${at} (no next or done section)`);
    }
    const d = decodeDescriptor(await readExactly(fh, buf, at), at, path);
    sections.push(d);
    if (d.type === 'next' || d.type === 'done') return { number, size, sections, end: d.type };
    if (d.size < DESCRIPTOR_SIZE || d.next <= at || d.next > size || at + d.size > size) {
      throw new Error(`${path}: ${d.type} section at offset ${at} has an impossible size ${d.size} or next offset ${d.next}`);
    }
    at = d.next;
  }
}
