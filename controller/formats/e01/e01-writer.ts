// Writes an acquisition as an EnCase 6 E01 segment set, streaming: chunks are deflated in batches
// on a few threads of our own (deflate-pool.ts) and placed in order; memory stays bounded by the
// batches in flight and one write buffer per segment.

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { isLent } from '../../../drivers/block/lease.ts';
import type { StoredChunk } from './chunk-codec.ts';
import { BATCH_MAX, ChunkDeflater, type EncodedBatch } from './deflate-pool.ts';
import { CHUNK_BYTES } from './e01-types.ts';
import type { E01Compression, E01Metadata, SectorRange } from './e01-types.ts';
import { buildHeader, buildHeader2 } from './header-text.ts';
import { DESCRIPTOR_SIZE, encodeDescriptor } from './section.ts';
import { checkFirstSegmentName, isSegmentOf, segmentPath } from './segment-names.ts';
import { STAGE_HOLD_MAX, StagedFile } from './staged-file.ts';
import type { FileTap } from '../types.ts';
import { COMPRESSED_FLAG, encodeTable, MAX_RELATIVE_OFFSET, MAX_TABLE_ENTRIES, tableSectionSize } from './table.ts';
import { encodeDigest, encodeError2, encodeHash, error2Entries } from './trailer-sections.ts';
import { encodeVolume, VOLUME_SIZE } from './volume.ts';
import type { VolumeInfo } from './volume.ts';

const deflate = promisify(zlib.deflate);

export interface E01WriterOptions {
  /** The first segment, "name.E01"; later segments take the names EnCase gives them. */
  path: string;
  /** The source's size in bytes, a whole number of sectors. */
  mediaSize: number;
  bytesPerSector: 512 | 4096;
  compression: E01Compression;
  /** Largest size of one segment file; default 2 GiB. The last may pass it by its error2 section. */
  segmentSize?: number;
  metadata: E01Metadata;
  mediaType?: 'fixed' | 'removable';
  /** A whole device (default) rather than one partition. */
  physical?: boolean;
  /** Deflate threads (default: the CPU count, at most 4). */
  threads?: number;
  /** Sees each segment's bytes as they are written. */
  tap?: FileTap;
}

export interface E01CloseInput {
  md5: Buffer;
  sha1?: Buffer;
  /** Sectors that were never read; their bytes in the image are whatever was written (zeros). */
  unreadRanges?: readonly SectorRange[];
}

export interface E01CloseResult {
  segments: string[];
  /** Unread ranges starting past sector 2^32 - 1, which EnCase 6's error2 section cannot hold. */
  unrecordedRanges: SectorRange[];
}

export const DEFAULT_SEGMENT_SIZE = 2 * 1024 ** 3;
export const MIN_SEGMENT_SIZE = 1024 ** 2;
/**
 * The most bytes one sectors section holds. Its descriptor stays staged until the section ends
 * (staged-file.ts). Tables shorter than the 16,375 entries EnCase 6 allows are valid (every
 * segment's last table is one); 4 MiB sections cost their tables about 0.06% of the image.
 */
const GROUP_BYTES = Math.min(STAGE_HOLD_MAX, MAX_RELATIVE_OFFSET);
/** Chunks per batch sent to a deflate thread. */
const BATCH_BYTES = BATCH_MAX;
/** The sections a last segment may end with besides error2: data, digest, hash, done. */
const END_RESERVE = DESCRIPTOR_SIZE + VOLUME_SIZE + (DESCRIPTOR_SIZE + 80) + (DESCRIPTOR_SIZE + 36) + DESCRIPTOR_SIZE;

interface Group {
  /** Offset of the sectors section's descriptor: the base its table's entries count from. */
  readonly base: number;
  readonly entries: Uint32Array;
  count: number;
}

export class E01Writer {
  readonly #opts: Required<Omit<E01WriterOptions, 'metadata' | 'threads' | 'tap'>>;
  readonly #tap: FileTap | undefined;
  readonly #deflater: ChunkDeflater;
  /** Batches encoding at once: each thread has one at work and one waiting. */
  readonly #maxInFlight: number;
  readonly #volume: VolumeInfo;
  readonly #segments: string[] = [];
  #file!: StagedFile;
  #group: Group | null = null;
  #pending: Buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
  #pendingLength = 0;
  readonly #inFlight: Promise<EncodedBatch>[] = [];
  #received = 0;
  #busy = false;
  #closed = false;
  #failure: unknown = null;

  private constructor(opts: E01WriterOptions) {
    this.#opts = {
      path: opts.path,
      mediaSize: opts.mediaSize,
      bytesPerSector: opts.bytesPerSector,
      compression: opts.compression,
      segmentSize: opts.segmentSize ?? DEFAULT_SEGMENT_SIZE,
      mediaType: opts.mediaType ?? 'fixed',
      physical: opts.physical ?? true,
    };
    this.#tap = opts.tap;
    const threads = opts.threads ?? Math.min(4, os.availableParallelism());
    this.#deflater = new ChunkDeflater(threads, opts.compression);
    this.#maxInFlight = threads * 2;
    const spc = CHUNK_BYTES / opts.bytesPerSector;
    this.#volume = {
      mediaType: this.#opts.mediaType,
      physical: this.#opts.physical,
      chunkCount: Math.ceil(opts.mediaSize / CHUNK_BYTES),
      sectorsPerChunk: spc,
      bytesPerSector: opts.bytesPerSector,
      sectorCount: opts.mediaSize / opts.bytesPerSector,
      compression: opts.compression,
      errorGranularity: spc,
      setId: guidBytes(randomUUID()),
    };
  }

  /**
   * Creates the first segment. Refuses (EEXIST) when it, or any file named like a segment of the
   * same set, already exists: an acquisition never truncates or mixes with earlier files.
   */
  static async create(opts: E01WriterOptions): Promise<E01Writer> {
    checkOptions(opts);
    const clash = (await fs.readdir(dirname(opts.path))).filter((n) => isSegmentOf(opts.path, n)).sort();
    if (clash.length > 0) {
      throw Object.assign(new Error(`EEXIST: ${join(dirname(opts.path), clash[0])} already exists; an E01 set is never written over`), {
        code: 'EEXIST',
      });
    }
    const w = new E01Writer(opts);
    try {
      await w.#openSegment(1, opts.metadata);
    } catch (e) {
      await w.#deflater.close();
      throw e;
    }
    return w;
  }

  /** The media's bytes in order from offset 0, in pieces of any size; one call at a time. */
  async write(data: Buffer): Promise<void> {
    this.#enter();
    try {
      if (this.#received + data.length > this.#opts.mediaSize) {
        throw new RangeError(`${this.#opts.path}: ${this.#received + data.length} bytes written, media size is ${this.#opts.mediaSize}`);
      }
      const lent = isLent(data);
      let at = 0;
      while (at < data.length) {
        // Whole chunks of lent memory go to the threads as they lie, without a copy.
        const whole = Math.min(BATCH_BYTES, data.length - at - ((data.length - at) % CHUNK_BYTES));
        if (lent && this.#pendingLength === 0 && whole > 0) {
          await this.#submit(this.#deflater.encode(data.subarray(at, at + whole)));
          at += whole;
          continue;
        }
        const n = Math.min(BATCH_BYTES - this.#pendingLength, data.length - at);
        data.copy(this.#pending, this.#pendingLength, at, at + n);
        this.#pendingLength += n;
        at += n;
        if (this.#pendingLength === BATCH_BYTES) await this.#submitPending();
      }
      this.#received += data.length;
    } catch (e) {
      this.#failure = e;
      throw e;
    } finally {
      this.#busy = false;
    }
  }

  /** Writes the last chunks, error2, digest, hash and done; syncs and closes every segment. */
  async close(input: E01CloseInput): Promise<E01CloseResult> {
    this.#enter();
    try {
      if (input.md5.length !== 16) throw new RangeError(`MD5 must be 16 bytes, got ${input.md5.length}`);
      if (input.sha1 && input.sha1.length !== 20) throw new RangeError(`SHA-1 must be 20 bytes, got ${input.sha1.length}`);
      if (this.#received !== this.#opts.mediaSize) {
        throw new Error(`${this.#opts.path}: only ${this.#received} of ${this.#opts.mediaSize} media bytes were written`);
      }
      const { entries, unrecorded } = error2Entries(input.unreadRanges ?? []);
      if (this.#pendingLength > 0) await this.#submitPending();
      while (this.#inFlight.length > 0) await this.#placeOldest();
      await this.#closeGroup();
      const f = this.#file;
      if (this.#segments.length === 1) await this.#section('data', encodeVolume(this.#volume));
      if (entries.length > 0) await this.#section('error2', encodeError2(entries));
      await this.#section('digest', encodeDigest(input.md5, input.sha1));
      await this.#section('hash', encodeHash(input.md5));
      await f.append(encodeDescriptor('done', f.position, 0));
      await f.close();
      this.#closed = true;
      await this.#deflater.close();
      return { segments: [...this.#segments], unrecordedRanges: unrecorded };
    } catch (e) {
      this.#failure = e;
      await this.#file.abandon();
      await this.#deflater.close();
      throw e;
    } finally {
      this.#busy = false;
    }
  }

  /** Closes the open segment as it is, leaving an unfinished set (no done section) for inspection. */
  async abort(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure ??= new Error('aborted');
    await Promise.allSettled(this.#inFlight);
    await this.#deflater.close();
    await this.#file.abandon();
  }

  #enter(): void {
    if (this.#failure) throw new Error(`${this.#opts.path}: the writer has failed earlier`, { cause: this.#failure });
    if (this.#closed) throw new Error(`${this.#opts.path}: the writer is closed`);
    if (this.#busy) throw new Error(`${this.#opts.path}: write() and close() must be awaited one at a time`);
    this.#busy = true;
  }

  /** The batch buffer is given away to its thread; the next batch gets a new one. */
  async #submitPending(): Promise<void> {
    const batch = this.#pending.subarray(0, this.#pendingLength);
    this.#pending = Buffer.allocUnsafeSlow(BATCH_BYTES);
    this.#pendingLength = 0;
    await this.#submit(this.#deflater.encode(batch));
  }

  async #submit(p: Promise<EncodedBatch>): Promise<void> {
    // Settled later, in order; this keeps a failure from counting as unhandled meanwhile.
    p.catch(() => undefined);
    this.#inFlight.push(p);
    if (this.#inFlight.length >= this.#maxInFlight) await this.#placeOldest();
  }

  async #placeOldest(): Promise<void> {
    const batch = await this.#inFlight.shift()!;
    // Placing copies each chunk into the segment's stage; then its output memory is reused.
    try {
      for (const stored of batch.chunks) await this.#place(stored);
    } finally {
      batch.done();
    }
  }

  async #place(stored: StoredChunk): Promise<void> {
    const f = this.#file;
    const limit = this.#opts.segmentSize;
    let g = this.#group;
    if (g && !(g.count < MAX_TABLE_ENTRIES && f.position + stored.size - g.base <= GROUP_BYTES && fits(f.position, stored.size, g.count + 1, limit))) {
      await this.#closeGroup();
      g = null;
    }
    if (!g) {
      if (!fits(this.#file.position + DESCRIPTOR_SIZE, stored.size, 1, limit)) {
        await this.#file.append(encodeDescriptor('next', this.#file.position, 0));
        await this.#file.close();
        await this.#openSegment(this.#segments.length + 1);
      }
      g = { base: this.#file.position, entries: new Uint32Array(MAX_TABLE_ENTRIES), count: 0 };
      this.#group = g;
      // Its descriptor is patched once the group's size is known: until then it stays staged.
      this.#file.hold(g.base);
      await this.#file.append(Buffer.alloc(DESCRIPTOR_SIZE));
    }
    const at = this.#file.position;
    g.entries[g.count++] = ((at - g.base) | (stored.compressed ? COMPRESSED_FLAG : 0)) >>> 0;
    await this.#file.append(stored.body);
    if (stored.checksum) await this.#file.append(stored.checksum);
  }

  /** Sizes the open sectors section and writes its table and table2. */
  async #closeGroup(): Promise<void> {
    const g = this.#group;
    if (!g) return;
    this.#group = null;
    const f = this.#file;
    f.patch(g.base, encodeDescriptor('sectors', g.base, f.position - g.base));
    f.release();
    const table = encodeTable(g.base, g.entries.subarray(0, g.count));
    await this.#section('table', table);
    await this.#section('table2', table);
  }

  async #section(type: string, body: Buffer): Promise<void> {
    const f = this.#file;
    await f.append(encodeDescriptor(type, f.position, DESCRIPTOR_SIZE + body.length));
    await f.append(body);
  }

  async #openSegment(n: number, metadata?: E01Metadata): Promise<void> {
    const path = segmentPath(this.#opts.path, n);
    const fh = await fs.open(path, 'wx', 0o644);
    try {
      this.#file = await StagedFile.open(fh, path, this.#tap);
    } catch (e) {
      await fh.close();
      throw e;
    }
    this.#segments.push(path);
    await this.#file.append(fileHeader(n));
    if (metadata) {
      const now = new Date();
      const m: E01Metadata = { ...metadata, acquiredAt: metadata.acquiredAt ?? now, systemDate: metadata.systemDate ?? now };
      const header2 = await deflate(Buffer.from(`\ufeff${buildHeader2(m)}`, 'utf16le'));
      await this.#section('header2', header2);
      await this.#section('header2', header2);
      await this.#section('header', await deflate(Buffer.from(buildHeader(m), 'latin1')));
      await this.#section('volume', encodeVolume(this.#volume));
    } else {
      await this.#section('data', encodeVolume(this.#volume));
    }
  }
}

/** Whether a chunk of `size` bytes at `at` still leaves room for tables of `entries` and the end. */
function fits(at: number, size: number, entries: number, limit: number): boolean {
  return at + size + 2 * tableSectionSize(entries) + END_RESERVE <= limit;
}

/** A UUID in Microsoft's GUID byte order (first three fields little-endian), as EnCase stores it. */
function guidBytes(uuid: string): Buffer {
  const b = Buffer.from(uuid.replaceAll('-', ''), 'hex');
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

/** "EVF" signature, then the segment number between the start-of-fields and end-of-fields marks. */
function fileHeader(n: number): Buffer {
  const b = Buffer.from([0x45, 0x56, 0x46, 0x09, 0x0d, 0x0a, 0xff, 0x00, 0x01, 0, 0, 0, 0]);
  b.writeUInt16LE(n, 9);
  return b;
}

function checkOptions(o: E01WriterOptions): void {
  checkFirstSegmentName(o.path);
  if (o.bytesPerSector !== 512 && o.bytesPerSector !== 4096) throw new RangeError(`bytes per sector must be 512 or 4096, got ${o.bytesPerSector}`);
  if (!Number.isSafeInteger(o.mediaSize) || o.mediaSize <= 0 || o.mediaSize % o.bytesPerSector !== 0) {
    throw new RangeError(`media size ${o.mediaSize} is not a positive whole number of ${o.bytesPerSector}-byte sectors`);
  }
  if (Math.ceil(o.mediaSize / CHUNK_BYTES) > 0xffffffff) throw new RangeError(`media size ${o.mediaSize} needs more chunks than EnCase 6 can count`);
  const seg = o.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  if (!Number.isSafeInteger(seg) || seg < MIN_SEGMENT_SIZE) throw new RangeError(`segment size ${seg} is below the 1 MiB minimum`);
  if (!['none', 'fast', 'best'].includes(o.compression)) throw new RangeError(`unknown compression '${o.compression}'`);
}
