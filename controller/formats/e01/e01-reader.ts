// Reads an E01 segment set: finds the segments, checks every section descriptor, and reads the
// volume, case metadata, stored hashes and unread ranges. Tables are loaded on demand, so opening
// a 20 TB image costs one small read per table, and memory stays bounded while reading it.

import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { checkRange, errorText, readExactly } from '../file-io.ts';
import type { ImageCheck, ImageReader } from '../types.ts';
import { decodeChunk } from './chunk-codec.ts';
import type { E01Metadata, SectorRange } from './e01-types.ts';
import { parseHeaderText } from './header-text.ts';
import { DESCRIPTOR_SIZE } from './section.ts';
import type { SectionDescriptor } from './section.ts';
import { scanSegment } from './segment-scan.ts';
import { segmentPath } from './segment-names.ts';
import { COMPRESSED_FLAG, decodeTableEntries, decodeTableHeader, TABLE_HEADER_SIZE } from './table.ts';
import { decodeDigest, decodeError2, decodeHash } from './trailer-sections.ts';
import { decodeVolume, VOLUME_SIZE } from './volume.ts';
import type { VolumeInfo } from './volume.ts';

const inflate = promisify(zlib.inflate);

/** Metadata sections are small; a larger size means a damaged descriptor, not a big header. */
const MAX_METADATA_SECTION = 16 << 20;
/** Chunks read from the file in one go, then inflated together on the thread pool. */
const BATCH_CHUNKS = 64;
const OPEN_FILES = 16;
const CACHED_TABLES = 4;

export type E01Chunk =
  | { readonly index: number; readonly offset: number; readonly length: number; readonly data: Buffer }
  | {
      readonly index: number;
      readonly offset: number;
      readonly length: number;
      /** Segment file and file offset of the stored chunk. */
      readonly where: string;
      /** Names the chunk, its sectors, what failed, and where. */
      readonly error: string;
    };

interface TableRef {
  readonly file: string;
  readonly tableOffset: number;
  table2Offset?: number;
  readonly count: number;
  readonly firstChunk: number;
  /** Where this table's sectors section ends: the end of its last chunk. */
  readonly sectorsEnd: number;
}

interface LoadedTable {
  /** Absolute file offsets of each chunk, plus the end of the last one. */
  readonly starts: Float64Array;
  readonly compressed: Uint8Array;
}

export class E01Reader implements ImageReader {
  readonly segments: readonly string[];
  readonly mediaSize: number;
  readonly bytesPerSector: number;
  readonly chunkSize: number;
  readonly volume: VolumeInfo;
  readonly metadata: E01Metadata;
  readonly storedMd5?: Buffer;
  readonly storedSha1?: Buffer;
  readonly unreadRanges: readonly SectorRange[];
  /** Damage found at open that did not stop reading (a header, or a table whose mirror was used). */
  readonly problems: string[] = [];
  readonly #tables: TableRef[];
  readonly #files = new Map<string, FileHandle>();
  readonly #tableCache = new Map<TableRef, LoadedTable>();
  #lastChunk: { index: number; data: Buffer } | null = null;

  private constructor(init: {
    segments: string[];
    volume: VolumeInfo;
    metadata: E01Metadata;
    md5?: Buffer;
    sha1?: Buffer;
    unread: SectorRange[];
    tables: TableRef[];
    problems: string[];
  }) {
    this.segments = init.segments;
    this.volume = init.volume;
    this.bytesPerSector = init.volume.bytesPerSector;
    this.mediaSize = init.volume.sectorCount * init.volume.bytesPerSector;
    this.chunkSize = init.volume.sectorsPerChunk * init.volume.bytesPerSector;
    this.metadata = init.metadata;
    this.storedMd5 = init.md5;
    this.storedSha1 = init.sha1;
    this.unreadRanges = init.unread;
    this.#tables = init.tables;
    this.problems.push(...init.problems);
  }

  get size(): number {
    return this.mediaSize;
  }

  /** Opens `firstSegmentPath` (x.E01) and the segments after it until the one ending in `done`. */
  static async open(firstSegmentPath: string): Promise<E01Reader> {
    const segments: string[] = [];
    const tables: TableRef[] = [];
    const problems: string[] = [];
    let volume: VolumeInfo | undefined;
    let header2: E01Metadata | undefined;
    let header: E01Metadata | undefined;
    let digests: { md5?: Buffer; sha1?: Buffer } = {};
    let hash: { md5?: Buffer } = {};
    let unread: SectorRange[] = [];
    let chunks = 0;
    for (let n = 1; ; n++) {
      const path = segmentPath(firstSegmentPath, n);
      let fh: FileHandle;
      try {
        fh = await fs.open(path, 'r');
      } catch (e) {
        if (n > 1 && (e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${path}: segment ${n} is missing (segment ${n - 1} ends in next)`);
        throw e;
      }
      try {
        segments.push(path);
        const layout = await scanSegment(fh, path, n);
        let sectors: SectionDescriptor | undefined;
        for (const d of layout.sections) {
          const where = `${path} at offset ${d.offset}`;
          switch (d.type) {
            case 'header2':
            case 'header': {
              try {
                const text = await readMetadataText(fh, d, where);
                if (d.type === 'header2') header2 ??= parseHeaderText(text);
                else header ??= parseHeaderText(text);
              } catch (e) {
                problems.push(errorText(e));
              }
              break;
            }
            case 'volume':
            case 'disk':
            case 'data': {
              const v = decodeVolume(await readBody(fh, d, VOLUME_SIZE), `${where} (${d.type})`);
              if (!volume) volume = v;
              else if (!v.setId.equals(volume.setId)) throw new Error(`${where}: belongs to another image (set identifier differs)`);
              break;
            }
            case 'sectors':
              sectors = d;
              break;
            case 'table': {
              if (!sectors) throw new Error(`${where}: table without a sectors section before it (an EnCase 1 layout, not supported)`);
              const h = decodeTableHeader(await readBody(fh, d, TABLE_HEADER_SIZE), where);
              tables.push({ file: path, tableOffset: d.offset, count: h.count, firstChunk: chunks, sectorsEnd: sectors.offset + sectors.size });
              chunks += h.count;
              break;
            }
            case 'table2': {
              const last = tables.at(-1);
              if (last && last.file === path && last.table2Offset === undefined) last.table2Offset = d.offset;
              break;
            }
            case 'digest':
              digests = decodeDigest(await readBody(fh, d, 80), where);
              break;
            case 'hash':
              hash = decodeHash(await readBody(fh, d, 36), where);
              break;
            case 'error2':
              unread = decodeError2(await readBody(fh, d, d.size - DESCRIPTOR_SIZE), where);
              break;
          }
        }
        if (layout.end === 'done') break;
      } finally {
        await fh.close();
      }
    }
    if (!volume) throw new Error(`${firstSegmentPath}: no volume section`);
    const expected = Math.ceil((volume.sectorCount * volume.bytesPerSector) / (volume.sectorsPerChunk * volume.bytesPerSector));
    if (chunks !== expected) throw new Error(`${firstSegmentPath}: tables list ${chunks} chunks, the media needs ${expected}`);
    return new E01Reader({
      segments,
      volume,
      metadata: header2 ?? header ?? {},
      md5: digests.md5 ?? hash.md5,
      sha1: digests.sha1,
      unread,
      tables,
      problems,
    });
  }

  /** Every chunk in media order, decoded and checked; a damaged chunk is yielded as an error. */
  async *chunks(): AsyncIterable<E01Chunk> {
    for (const ref of this.#tables) {
      let t: LoadedTable;
      try {
        t = await this.#loadTable(ref);
      } catch (e) {
        for (let i = 0; i < ref.count; i++) yield this.#failed(ref.firstChunk + i, ref.file, ref.tableOffset, `its table is unreadable: ${errorText(e)}`);
        continue;
      }
      for (let i = 0; i < ref.count; i += BATCH_CHUNKS) {
        const n = Math.min(BATCH_CHUNKS, ref.count - i);
        const from = t.starts[i];
        let region: Buffer;
        try {
          region = await readExactly(await this.#file(ref.file), Buffer.allocUnsafe(t.starts[i + n] - from), from);
        } catch (e) {
          for (let k = i; k < i + n; k++) yield this.#failed(ref.firstChunk + k, ref.file, t.starts[k], `read failed: ${errorText(e)}`);
          continue;
        }
        const decoded = await Promise.all(
          Array.from({ length: n }, (_, j) => {
            const k = i + j;
            const stored = region.subarray(t.starts[k] - from, t.starts[k + 1] - from);
            return decodeChunk(stored, t.compressed[k] === 1, this.#chunkLength(ref.firstChunk + k)).then(
              (data) => ({ data }),
              (e: unknown) => ({ error: errorText(e) }),
            );
          }),
        );
        for (let j = 0; j < n; j++) {
          const index = ref.firstChunk + i + j;
          const r = decoded[j];
          if ('data' in r) yield { index, offset: index * this.chunkSize, length: r.data.length, data: r.data };
          else yield this.#failed(index, ref.file, t.starts[i + j], r.error);
        }
      }
    }
  }

  /** Exactly `length` media bytes at `offset`; throws naming the chunk when one is damaged. */
  async read(offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length, this.mediaSize);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const pos = offset + done;
      const index = Math.floor(pos / this.chunkSize);
      const data = await this.#readChunk(index);
      const from = pos - index * this.chunkSize;
      done += data.copy(out, done, from, Math.min(data.length, from + length - done));
    }
    return out;
  }

  async *checks(): AsyncIterable<ImageCheck> {
    for await (const c of this.chunks()) {
      if ('data' in c) yield { ok: true, offset: c.offset, length: c.length };
      else yield { ok: false, offset: c.offset, length: c.length, where: c.where, error: c.error };
    }
  }

  async close(): Promise<void> {
    const all = [...this.#files.values()];
    this.#files.clear();
    await Promise.all(all.map((fh) => fh.close()));
  }

  #chunkLength(index: number): number {
    return Math.min(this.chunkSize, this.mediaSize - index * this.chunkSize);
  }

  #failed(index: number, file: string, fileOffset: number, reason: string): E01Chunk {
    const spc = this.chunkSize / this.bytesPerSector;
    const length = this.#chunkLength(index);
    const first = index * spc;
    const last = first + length / this.bytesPerSector - 1;
    const where = `${file} at offset ${fileOffset}`;
    return { index, offset: index * this.chunkSize, length, where, error: `chunk ${index} (sectors ${first}-${last}): ${reason}, in ${where}` };
  }

  async #readChunk(index: number): Promise<Buffer> {
    if (this.#lastChunk?.index === index) return this.#lastChunk.data;
    const ref = this.#tableOf(index);
    const t = await this.#loadTable(ref);
    const k = index - ref.firstChunk;
    const stored = await readExactly(await this.#file(ref.file), Buffer.allocUnsafe(t.starts[k + 1] - t.starts[k]), t.starts[k]);
    let data: Buffer;
    try {
      data = await decodeChunk(stored, t.compressed[k] === 1, this.#chunkLength(index));
    } catch (e) {
      const failed = this.#failed(index, ref.file, t.starts[k], errorText(e));
      throw new Error('error' in failed ? failed.error : errorText(e));
    }
    this.#lastChunk = { index, data };
    return data;
  }

  #tableOf(index: number): TableRef {
    let lo = 0;
    let hi = this.#tables.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#tables[mid].firstChunk <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.#tables[lo];
  }

  /** The table's entries as file offsets; falls back to table2 when the table fails its checks. */
  async #loadTable(ref: TableRef): Promise<LoadedTable> {
    const cached = this.#tableCache.get(ref);
    if (cached) return cached;
    const fh = await this.#file(ref.file);
    let loaded: LoadedTable;
    try {
      loaded = await readTable(fh, ref, ref.tableOffset);
    } catch (e) {
      if (ref.table2Offset === undefined) throw e;
      loaded = await readTable(fh, ref, ref.table2Offset);
      this.problems.push(`${errorText(e)}; its table2 mirror was used`);
    }
    if (this.#tableCache.size >= CACHED_TABLES) this.#tableCache.delete(this.#tableCache.keys().next().value!);
    this.#tableCache.set(ref, loaded);
    return loaded;
  }

  async #file(path: string): Promise<FileHandle> {
    const open = this.#files.get(path);
    if (open) {
      // Most recently used last, so the first entry is the one to close.
      this.#files.delete(path);
      this.#files.set(path, open);
      return open;
    }
    if (this.#files.size >= OPEN_FILES) {
      const [oldPath, oldFh] = this.#files.entries().next().value!;
      this.#files.delete(oldPath);
      await oldFh.close();
    }
    const fh = await fs.open(path, 'r');
    this.#files.set(path, fh);
    return fh;
  }
}

async function readTable(fh: FileHandle, ref: TableRef, sectionOffset: number): Promise<LoadedTable> {
  const where = `${ref.file} table at offset ${sectionOffset}`;
  const body = await readExactly(fh, Buffer.alloc(TABLE_HEADER_SIZE + 4 * ref.count + 4), sectionOffset + DESCRIPTOR_SIZE);
  const h = decodeTableHeader(body, where);
  if (h.count !== ref.count) throw new Error(`${where}: lists ${h.count} chunks, its first copy ${ref.count}`);
  const entries = decodeTableEntries(body, h.count, where);
  const starts = new Float64Array(h.count + 1);
  const compressed = new Uint8Array(h.count);
  for (let i = 0; i < h.count; i++) {
    starts[i] = h.baseOffset + (entries[i] & ~COMPRESSED_FLAG);
    compressed[i] = entries[i] & COMPRESSED_FLAG ? 1 : 0;
    if (starts[i] < h.baseOffset + DESCRIPTOR_SIZE || (i > 0 && starts[i] <= starts[i - 1]) || starts[i] >= ref.sectorsEnd) {
      throw new Error(`${where}: entry ${i} points outside its sectors section`);
    }
  }
  starts[h.count] = ref.sectorsEnd;
  return { starts, compressed };
}

async function readBody(fh: FileHandle, d: SectionDescriptor, length: number): Promise<Buffer> {
  if (d.size - DESCRIPTOR_SIZE < length) throw new Error(`${d.type} section at offset ${d.offset} is ${d.size} bytes, too short`);
  return readExactly(fh, Buffer.alloc(length), d.offset + DESCRIPTOR_SIZE);
}

async function readMetadataText(fh: FileHandle, d: SectionDescriptor, where: string): Promise<string> {
  const length = d.size - DESCRIPTOR_SIZE;
  if (length > MAX_METADATA_SECTION) throw new Error(`${where}: ${d.type} section of ${d.size} bytes is implausibly large`);
  let raw: Buffer;
  try {
    raw = await inflate(await readBody(fh, d, length));
  } catch (e) {
    throw new Error(`${where}: ${d.type} section does not inflate (${errorText(e)})`);
  }
  // header2 is UTF-16 with a byte order mark; header is a single-byte code page.
  if (raw[0] === 0xff && raw[1] === 0xfe) return raw.subarray(2).toString('utf16le');
  if (raw[0] === 0xfe && raw[1] === 0xff) return Buffer.from(raw.subarray(2)).swap16().toString('utf16le');
  return raw.toString('latin1');
}
