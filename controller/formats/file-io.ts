// Whole reads and writes at a position: the kernel may return fewer bytes than asked, and an image
// format that took a short read for a whole one would misplace everything after it.

import type { FileHandle } from 'node:fs/promises';

export async function writeAll(fh: FileHandle, data: Buffer, pos: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, pos + done);
    if (bytesWritten === 0) throw new Error(`wrote 0 bytes at ${pos + done}`);
    done += bytesWritten;
  }
}

/** Fills `into` from `pos`; throws when the file ends first (a truncated image, never silently zeros). */
export async function readExactly(fh: FileHandle, into: Buffer, pos: number): Promise<Buffer> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await fh.read(into, done, into.length - done, pos + done);
    if (bytesRead === 0) throw new Error(`file ends at ${pos + done}, ${into.length - done} bytes short`);
    done += bytesRead;
  }
  return into;
}

export function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new RangeError(`read of ${length} bytes at ${offset} is outside the image (size ${size})`);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
