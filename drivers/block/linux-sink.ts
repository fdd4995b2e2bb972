// Where rescued bytes go: an image file or a whole destination block device. Writes use libuv's
// async fs pool, which the source's read worker never touches, so a hung source read cannot stall them.

import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import { devNumberOf } from './proc-parse.ts';
import { blockGeometry } from './sysfs.ts';
import type { BlockSink } from './types.ts';

export interface SinkOptions {
  /** Create the image file when it does not exist (mode 0644). An existing file is never truncated. */
  readonly create: boolean;
  /**
   * The source size in bytes. A block device smaller than this is refused; an image file shorter
   * than this is extended (sparsely) to it, so the image has the source's size even where unread.
   */
  readonly capacityCheck?: number;
}

export async function openSink(path: string, opts: SinkOptions): Promise<BlockSink> {
  const { O_WRONLY, O_CREAT } = constants;
  // Never O_TRUNC: an image being resumed holds everything rescued so far.
  const fh = await fs.open(path, opts.create ? O_WRONLY | O_CREAT : O_WRONLY, 0o644);
  let capacity: number | undefined;
  try {
    const st = await fh.stat({ bigint: true });
    if (st.isBlockDevice()) {
      capacity = (await blockGeometry(devNumberOf(st.rdev))).size;
      if (opts.capacityCheck !== undefined && capacity < opts.capacityCheck) {
        throw new RangeError(`${path}: capacity ${capacity} bytes is smaller than the source (${opts.capacityCheck})`);
      }
    } else if (st.isFile()) {
      // ftruncate to a larger size allocates nothing: unread areas stay holes.
      if (opts.capacityCheck !== undefined && Number(st.size) < opts.capacityCheck) {
        await fh.truncate(opts.capacityCheck);
      }
    } else {
      throw new Error(`${path} is neither a regular file nor a block device`);
    }
  } catch (e) {
    await fh.close();
    throw e;
  }

  let closed = false;
  return {
    path,
    capacity,

    async write(pos: number, data: Buffer): Promise<void> {
      if (closed) throw new Error(`${path}: write after close`);
      if (!Number.isSafeInteger(pos) || pos < 0) throw new RangeError(`${path}: invalid write pos=${pos}`);
      if (capacity !== undefined && pos + data.length > capacity) {
        throw new RangeError(`${path}: write of ${data.length} bytes at ${pos} goes past the end (${capacity})`);
      }
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await fh.write(data, done, data.length - done, pos + done);
        if (bytesWritten === 0) throw new Error(`${path}: wrote 0 bytes at ${pos + done}`);
        done += bytesWritten;
      }
    },

    async sync(): Promise<void> {
      if (closed) throw new Error(`${path}: sync after close`);
      await fh.datasync();
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await fh.close();
    },
  };
}
