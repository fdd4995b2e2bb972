// A raw image cut into fixed-size segment files (NAME.001, NAME.002, ...), for filesystems with a
// file size limit and for media smaller than the image. Every segment but the last is exactly
// segmentSize bytes, which is what lets a reader place a byte without any index.

import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { directAppender, type Appender } from './direct-file.ts';
import { checkRange, errorText, readExactly } from './file-io.ts';
import { ImageLayoutError } from './image-error.ts';
import { listSegments, segmentBase, segmentName } from './split-raw-names.ts';
import type { FileTap, ImageCheck, ImageReader, ImageWriter } from './types.ts';

const CHECK_PIECE = 4 << 20;

export interface SplitRawWriterOptions {
  readonly segmentSize: number;
  /** Sees each segment's bytes as they are written. */
  readonly tap?: FileTap;
}

/**
 * Writes NAME.001 onwards. Refused when any NAME.NNN exists already: a new set mixed with an old
 * one's later segments would read back as one corrupt image. Each segment is also created with 'wx'.
 */
export async function createSplitRawWriter(base: string, opts: SplitRawWriterOptions): Promise<ImageWriter> {
  const { segmentSize } = opts;
  if (!Number.isSafeInteger(segmentSize) || segmentSize <= 0) throw new RangeError(`invalid segment size ${segmentSize}`);
  const existing = await listSegments(base);
  if (existing.length > 0) throw new Error(`${segmentName(base, existing[0])} already exists: refusing to overwrite a split image`);

  const files: string[] = [];
  let out: Appender | undefined;
  let used = 0;
  let closed = false;

  const openNext = async (): Promise<void> => {
    const name = segmentName(base, files.length + 1);
    const fh = await fs.open(name, 'wx', 0o644);
    files.push(name);
    try {
      out = await directAppender(fh, name, opts.tap);
    } catch (e) {
      await fh.close();
      throw e;
    }
    used = 0;
  };
  const finishCurrent = async (): Promise<void> => {
    const o = out;
    out = undefined;
    await o?.close();
  };

  // NAME.001 exists from the start, so an empty image is still an image; later segments are made
  // only when a byte needs them, so a size that is a multiple of segmentSize leaves no empty tail.
  await openNext();

  return {
    async write(chunk: Buffer): Promise<void> {
      if (closed) throw new Error(`${base}: write after close`);
      let at = 0;
      while (at < chunk.length) {
        if (used === segmentSize) {
          await finishCurrent();
          await openNext();
        }
        const n = Math.min(segmentSize - used, chunk.length - at);
        await out!.write(chunk.subarray(at, at + n));
        used += n;
        at += n;
      }
    },
    async close(): Promise<{ files: string[] }> {
      if (!closed) {
        closed = true;
        await finishCurrent();
      }
      return { files: [...files] };
    },
  };
}

export interface SplitRawReaderOptions {
  /** The set's segment size; by default the size of NAME.001 (when there is more than one segment). */
  readonly segmentSize?: number;
  /** The image size the acquisition recorded: lets a missing last segment be named too. */
  readonly expectedSize?: number;
}

interface Segment {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** Opens a set by its base NAME or any of its segment names. Throws ImageLayoutError naming a gap. */
export async function openSplitRawReader(p: string, opts: SplitRawReaderOptions = {}): Promise<ImageReader> {
  const base = segmentBase(p);
  const numbers = await listSegments(base);
  if (numbers.length === 0) throw new ImageLayoutError(segmentName(base, 1), 'no segment found');
  numbers.forEach((n, i) => {
    if (n !== i + 1) throw new ImageLayoutError(segmentName(base, i + 1), 'segment missing');
  });

  const sizes = await Promise.all(numbers.map(async (n) => (await fs.stat(segmentName(base, n))).size));
  const segmentSize = opts.segmentSize ?? sizes[0];
  const segments: Segment[] = [];
  let size = 0;
  sizes.forEach((s, i) => {
    const name = segmentName(base, i + 1);
    const last = i === sizes.length - 1;
    if (last ? s > segmentSize : s !== segmentSize) {
      throw new ImageLayoutError(name, `${s} bytes, expected ${last ? 'at most ' : ''}${segmentSize}${s < segmentSize ? ' (short segment)' : ''}`);
    }
    segments.push({ name, offset: size, size: s });
    size += s;
  });
  if (opts.expectedSize !== undefined && size !== opts.expectedSize) {
    const lastSeg = segments[segments.length - 1];
    const where = size < opts.expectedSize && lastSeg.size === segmentSize ? segmentName(base, segments.length + 1) : lastSeg.name;
    throw new ImageLayoutError(where, `the set holds ${size} bytes, the image has ${opts.expectedSize} (${size < opts.expectedSize ? 'segment missing or short' : 'too long'})`);
  }

  // One segment open at a time: a set can have more segments than the process has descriptors.
  // Reads take turns, so one never closes the handle another is reading from.
  let current: { index: number; fh: FileHandle } | undefined;
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => {});
    return run;
  };
  const handle = async (index: number): Promise<FileHandle> => {
    if (current?.index === index) return current.fh;
    const fh = await fs.open(segments[index].name, 'r');
    const old = current;
    current = { index, fh };
    await old?.fh.close();
    return fh;
  };

  return {
    size,
    async read(offset: number, length: number): Promise<Buffer> {
      checkRange(offset, length, size);
      return inTurn(async () => {
        const out = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const at = offset + done;
          const index = Math.min(Math.floor(at / segmentSize), segments.length - 1);
          const seg = segments[index];
          const n = Math.min(length - done, seg.offset + seg.size - at);
          await readExactly(await handle(index), out.subarray(done, done + n), at - seg.offset);
          done += n;
        }
        return out;
      });
    },
    async *checks(): AsyncIterable<ImageCheck> {
      // Raw segments carry no checksums: what can be checked is that every byte can still be read.
      const buf = Buffer.allocUnsafe(Math.min(CHECK_PIECE, Math.max(segmentSize, 1)));
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        for (let at = 0; at < seg.size; at += CHECK_PIECE) {
          const length = Math.min(CHECK_PIECE, seg.size - at);
          const offset = seg.offset + at;
          try {
            await inTurn(async () => readExactly(await handle(i), buf.subarray(0, length), at));
            yield { ok: true, offset, length };
          } catch (e) {
            yield { ok: false, offset, length, where: `${seg.name} bytes ${at}-${at + length - 1}`, error: errorText(e) };
          }
        }
      }
    },
    close: () =>
      inTurn(async () => {
        const c = current;
        current = undefined;
        await c?.fh.close();
      }),
  };
}
