// Reads a seekable zstd image: the seek table says where every frame is, so a read decompresses
// only the frames it touches, and a check can name the one frame (and its bytes) that is damaged.

import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import { checkRange, errorText, readExactly } from './file-io.ts';
import { ImageLayoutError } from './image-error.ts';
import type { ImageCheck, ImageReader } from './types.ts';
import { xxh64Low32 } from './xxh64.ts';
import { entryRange, FOOTER_SIZE, MAX_FRAME_SIZE, parseFooter, parseSeekTable } from './zstd-seek-table.ts';
import type { SeekTable } from './zstd-seek-table.ts';

const ZSTD_MAGIC = 0xfd2fb528;
/** Frame_Header_Descriptor bit 2: the frame ends with a 4-byte content checksum. */
const CONTENT_CHECKSUM_FLAG = 0x04;

export async function openZstdSeekableReader(path: string): Promise<ImageReader> {
  const fh = await fs.open(path, 'r');
  try {
    return await readerOver(fh, path);
  } catch (e) {
    await fh.close();
    throw e;
  }
}

async function readerOver(fh: fs.FileHandle, path: string): Promise<ImageReader> {
  const fileSize = (await fh.stat()).size;
  if (fileSize < 8 + FOOTER_SIZE) throw new ImageLayoutError(path, `${fileSize} bytes is too short to hold a seek table`);

  const footerAt = fileSize - FOOTER_SIZE;
  const footerBytes = await readExactly(fh, Buffer.alloc(FOOTER_SIZE), footerAt);
  const parsedFooter = layout(`${path} seek table footer (bytes ${footerAt}-${fileSize - 1})`, () => parseFooter(footerBytes));
  const tableStart = fileSize - parsedFooter.tableSize;
  if (tableStart < 0) {
    throw new ImageLayoutError(`${path} seek table footer (bytes ${footerAt}-${fileSize - 1})`, `claims ${parsedFooter.frames} frames, more than the file can hold`);
  }
  const tableBytes = await readExactly(fh, Buffer.alloc(parsedFooter.tableSize), tableStart);
  const tableWhere = `${path} seek table (bytes ${tableStart}-${fileSize - 1})`;
  const table = layout(tableWhere, () => parseSeekTable(tableBytes, parsedFooter));

  // Frame i occupies [cOff[i], cOff[i+1]) of the file and [dOff[i], dOff[i+1]) of the image.
  const n = table.frames;
  const cOff = new Float64Array(n + 1);
  const dOff = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const e = table.entry(i);
    cOff[i + 1] = cOff[i] + e.compressedSize;
    dOff[i + 1] = dOff[i] + e.decompressedSize;
  }
  if (cOff[n] !== tableStart) {
    throw new ImageLayoutError(tableWhere, `frame sizes add up to ${cOff[n]} bytes, but the frames end at ${tableStart}`);
  }
  return new SeekableZstdReader(fh, path, table, tableStart, cOff, dOff);
}

function layout<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new ImageLayoutError(where, errorText(e));
  }
}

class SeekableZstdReader implements ImageReader {
  readonly size: number;
  readonly #fh: fs.FileHandle;
  readonly #path: string;
  readonly #table: SeekTable;
  readonly #tableStart: number;
  readonly #cOff: Float64Array;
  readonly #dOff: Float64Array;
  /** The last frame read() decompressed: sequential small reads decompress each frame once. */
  #cached: { index: number; data: Buffer } | undefined;

  constructor(fh: fs.FileHandle, path: string, table: SeekTable, tableStart: number, cOff: Float64Array, dOff: Float64Array) {
    this.#fh = fh;
    this.#path = path;
    this.#table = table;
    this.#tableStart = tableStart;
    this.#cOff = cOff;
    this.#dOff = dOff;
    this.size = dOff[table.frames];
  }

  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length, this.size);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    let i = this.#frameAt(offset);
    while (done < length) {
      const data = await this.#frame(i);
      const from = offset + done - this.#dOff[i];
      done += data.copy(out, done, from, Math.min(data.length, from + length - done));
      i++;
    }
    return out;
  }

  async *checks(): AsyncIterable<ImageCheck> {
    for (let i = 0; i < this.#table.frames; i++) {
      const offset = this.#dOff[i];
      const length = this.#dOff[i + 1] - offset;
      const problem = await this.#checkFrame(i);
      yield problem ? { ok: false, offset, length, ...problem } : { ok: true, offset, length };
    }
  }

  async close(): Promise<void> {
    this.#cached = undefined;
    await this.#fh.close();
  }

  /** The last frame starting at or before `offset`: past any empty frames, so the one holding it. */
  #frameAt(offset: number): number {
    let lo = 0;
    let hi = this.#table.frames - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#dOff[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #frameWhere(i: number): string {
    return `${this.#path} frame ${i} (bytes ${this.#cOff[i]}-${this.#cOff[i + 1] - 1})`;
  }

  #entryWhere(i: number): string {
    const [first, last] = entryRange(this.#tableStart, i, this.#table.checksums);
    return `${this.#path} seek table entry ${i} (bytes ${first}-${last})`;
  }

  async #compressed(i: number): Promise<Buffer> {
    return readExactly(this.#fh, Buffer.allocUnsafe(this.#cOff[i + 1] - this.#cOff[i]), this.#cOff[i]);
  }

  /** `limit` bounds the output, so a damaged frame cannot balloon memory. */
  #decompress(compressed: Buffer, limit: number): Buffer {
    return zlib.zstdDecompressSync(compressed, { maxOutputLength: Math.max(limit, 1) });
  }

  async #frame(i: number): Promise<Buffer> {
    if (this.#cached?.index === i) return this.#cached.data;
    const expected = this.#dOff[i + 1] - this.#dOff[i];
    let data: Buffer;
    try {
      data = this.#decompress(await this.#compressed(i), expected);
    } catch (e) {
      throw new Error(`${this.#frameWhere(i)}: ${errorText(e)}`);
    }
    if (data.length !== expected) {
      throw new Error(`${this.#frameWhere(i)}: decompressed to ${data.length} bytes, the seek table says ${expected}`);
    }
    this.#cached = { index: i, data };
    return data;
  }

  /** Every check one frame allows; undefined when all hold. */
  async #checkFrame(i: number): Promise<{ where: string; error: string } | undefined> {
    const frameWhere = this.#frameWhere(i);
    const entry = this.#table.entry(i);
    let compressed: Buffer;
    try {
      compressed = await this.#compressed(i);
    } catch (e) {
      return { where: frameWhere, error: `unreadable: ${errorText(e)}` };
    }
    const isZstd = compressed.length >= 9 && compressed.readUInt32LE(0) === ZSTD_MAGIC;
    // Only a zstd frame whose header says so carries a content checksum in its last 4 bytes.
    const frameSum = isZstd && compressed[4] & CONTENT_CHECKSUM_FLAG ? compressed.readUInt32LE(compressed.length - 4) : undefined;
    let data: Buffer;
    try {
      // Limited by the format's frame size, not the entry's: a damaged entry must not make a
      // sound frame look broken.
      data = this.#decompress(compressed, MAX_FRAME_SIZE);
    } catch (e) {
      return { where: frameWhere, error: `does not decompress: ${errorText(e)}` };
    }
    const actual = xxh64Low32(data);
    if (frameSum !== undefined && frameSum !== actual) {
      return { where: frameWhere, error: `content XXH64 ${hex(actual)} does not match the frame's checksum ${hex(frameSum)}` };
    }
    // The frame is self-consistent from here on, so a disagreement is the seek table's fault.
    if (data.length !== entry.decompressedSize) {
      return { where: this.#entryWhere(i), error: `frame ${i} decompresses to ${data.length} bytes, the entry says ${entry.decompressedSize}` };
    }
    if (entry.checksum !== undefined && entry.checksum !== actual) {
      return { where: this.#entryWhere(i), error: `entry checksum ${hex(entry.checksum)} does not match frame ${i}'s content XXH64 ${hex(actual)}` };
    }
    return undefined;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
