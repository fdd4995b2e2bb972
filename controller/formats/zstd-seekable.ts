// Writes a seekable zstd image: independent frames of frameSize decompressed bytes, each with its
// XXH64 content checksum, then the seek table. Any zstd decompresses it to the image's bytes
// (`zstd -t` checks every frame); imagebox's reader reaches any byte by decompressing one frame.

import fs from 'node:fs/promises';
import os from 'node:os';
import { directAppender, type Appender } from './direct-file.ts';
import type { FileTap, ImageWriter } from './types.ts';
import { isLent } from '../../drivers/block/lease.ts';
import { ZstdFramePool, type Frame } from './zstd-frame-pool.ts';
import { MAX_FRAME_SIZE, SeekTableBuilder } from './zstd-seek-table.ts';

/**
 * zstd has no "store" mode, so 'none' is level 1: a frame of random data then costs only its
 * block headers (zstd stores incompressible blocks raw), and the file stays a valid .zst.
 * 'best' is level 19: several times slower than a hard drive delivers, so it suits images that
 * are compressed after acquisition or small media.
 */
export type ZstdCompression = 'none' | 'fast' | 'best';
export const ZSTD_LEVELS: Readonly<Record<ZstdCompression, number>> = { none: 1, fast: 1, best: 19 };

export interface ZstdSeekableOptions {
  /** Decompressed bytes per frame (default 1 MiB): the unit of random access and of checking. */
  readonly frameSize?: number;
  readonly compression?: ZstdCompression;
  /** Compression threads (default: the CPU count, at most 4). */
  readonly threads?: number;
  /** Sees the file's bytes as they are written. */
  readonly tap?: FileTap;
}

export async function createZstdSeekableWriter(path: string, opts: ZstdSeekableOptions = {}): Promise<ImageWriter> {
  const frameSize = opts.frameSize ?? 1 << 20;
  if (!Number.isSafeInteger(frameSize) || frameSize <= 0 || frameSize > MAX_FRAME_SIZE) {
    throw new RangeError(`invalid frame size ${frameSize} (1 to ${MAX_FRAME_SIZE} bytes)`);
  }
  const threads = opts.threads ?? Math.min(4, os.availableParallelism());
  const level = ZSTD_LEVELS[opts.compression ?? 'fast'];

  // 'wx': never truncate an existing file; the pool starts only once the file is ours.
  const fh = await fs.open(path, 'wx', 0o644);
  // Frames go out with O_DIRECT (direct-file.ts): a buffered write of the image cost more CPU
  // here than compressing it.
  let out: Appender;
  try {
    out = await directAppender(fh, path, opts.tap);
  } catch (e) {
    await fh.close();
    throw e;
  }
  const pool = new ZstdFramePool(threads, level);
  // Each thread has one frame compressing and one waiting: both cores busy, memory a few frames.
  const maxInFlight = threads * 2;
  const inFlight: { frame: Promise<Frame>; size: number }[] = [];
  const table = new SeekTableBuilder();
  let current = frameBuffer(frameSize);
  let fill = 0;
  let failure: unknown;
  let closed = false;

  const writeOldest = async (): Promise<void> => {
    const { frame: pending, size } = inFlight.shift()!;
    const { bytes: frame, done } = await pending;
    try {
      // The frame's last 4 bytes are its content checksum: XXH64's low 32 bits, little-endian,
      // which is exactly what the seek table entry holds.
      table.add(frame.length, size, frame.readUInt32LE(frame.length - 4));
      await out.write(frame);
    } finally {
      done();
    }
  };

  const submit = async (data: Uint8Array = current.subarray(0, fill)): Promise<void> => {
    const own = data.buffer === current.buffer;
    // Taken before compress(), which transfers a buffer of our own away (its length becomes 0).
    const size = data.length;
    const frame = pool.compress(data);
    // Rejections are taken when the frame's turn comes; until then they are not "unhandled".
    frame.catch(() => {});
    inFlight.push({ frame, size });
    if (own) {
      current = frameBuffer(frameSize);
      fill = 0;
    }
    while (inFlight.length >= maxInFlight) await writeOldest();
  };

  const guarded = async (step: () => Promise<void>): Promise<void> => {
    if (failure !== undefined) throw failure;
    try {
      await step();
    } catch (e) {
      failure = e;
      throw e;
    }
  };

  return {
    write(chunk: Buffer): Promise<void> {
      if (closed) return Promise.reject(new Error(`${path}: write after close`));
      return guarded(async () => {
        const lent = isLent(chunk);
        let at = 0;
        while (at < chunk.length) {
          // A whole frame of lent memory goes to its thread as it lies, without a copy.
          if (lent && fill === 0 && chunk.length - at >= frameSize) {
            await submit(chunk.subarray(at, at + frameSize));
            at += frameSize;
            continue;
          }
          const n = Math.min(frameSize - fill, chunk.length - at);
          current.set(chunk.subarray(at, at + n), fill);
          fill += n;
          at += n;
          if (fill === frameSize) await submit();
        }
      });
    },

    async close(): Promise<{ files: string[] }> {
      if (closed) return { files: [path] };
      closed = true;
      try {
        await guarded(async () => {
          if (fill > 0) await submit();
          while (inFlight.length > 0) await writeOldest();
          await out.write(table.finish());
          await out.close();
        });
      } finally {
        await pool.close();
        await out.abandon();
      }
      return { files: [path] };
    },
  };
}

/** A frame's own ArrayBuffer (never a slice of Node's pool), so it can be transferred to a worker. */
function frameBuffer(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new ArrayBuffer(size));
}
