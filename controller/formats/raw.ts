// A raw image: the source's bytes in one plain file, the format every tool reads.

import fs from 'node:fs/promises';
import { directAppender, type Appender } from './direct-file.ts';
import { checkRange, errorText, readExactly } from './file-io.ts';
import type { FileTap, ImageCheck, ImageReader, ImageWriter } from './types.ts';

/** How much checks() reads at a time: big enough to stream, small enough to name a bad area closely. */
const CHECK_PIECE = 4 << 20;

/**
 * Creates `path`; an existing file is refused ('wx'), so nothing already saved is ever truncated.
 * `tap` sees the file's bytes as they are written.
 */
export async function createRawWriter(path: string, tap?: FileTap): Promise<ImageWriter> {
  const fh = await fs.open(path, 'wx', 0o644);
  let out: Appender;
  try {
    out = await directAppender(fh, path, tap);
  } catch (e) {
    await fh.close();
    throw e;
  }
  let closed = false;
  return {
    async write(chunk: Buffer): Promise<void> {
      if (closed) throw new Error(`${path}: write after close`);
      await out.write(chunk);
    },
    async close(): Promise<{ files: string[] }> {
      if (!closed) {
        closed = true;
        await out.close();
      }
      return { files: [path] };
    },
  };
}

export async function openRawReader(path: string): Promise<ImageReader> {
  const fh = await fs.open(path, 'r');
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (e) {
    await fh.close();
    throw e;
  }
  return {
    size,
    async read(offset: number, length: number): Promise<Buffer> {
      checkRange(offset, length, size);
      return readExactly(fh, Buffer.allocUnsafe(length), offset);
    },
    async *checks(): AsyncIterable<ImageCheck> {
      // A raw file carries no checksums: the only check is that every byte can still be read.
      const buf = Buffer.allocUnsafe(Math.min(CHECK_PIECE, Math.max(size, 1)));
      for (let offset = 0; offset < size; offset += CHECK_PIECE) {
        const length = Math.min(CHECK_PIECE, size - offset);
        try {
          await readExactly(fh, buf.subarray(0, length), offset);
          yield { ok: true, offset, length };
        } catch (e) {
          yield { ok: false, offset, length, where: `${path} bytes ${offset}-${offset + length - 1}`, error: errorText(e) };
        }
      }
    },
    close: () => fh.close(),
  };
}
