// E01 chunks deflated in batches on a few threads of our own (thread-pool.ts). Lent read memory
// (drivers/block/lease.ts) goes to the threads as it is, held until they answer; a batch buffer of
// the writer's own is given away (transferred) instead.

import { release, retain } from '../../../drivers/block/lease.ts';
import { ThreadPool, type PoolReply } from '../thread-pool.ts';
import type { StoredChunk } from './chunk-codec.ts';
import { CHUNK_BYTES, type E01Compression } from './e01-types.ts';

const WORKER_URL = new URL('./deflate-worker.ts', import.meta.url);
/** The largest batch encode() takes. */
export const BATCH_MAX = 32 * CHUNK_BYTES;

export interface DeflateRequest {
  readonly id: number;
  readonly data: ArrayBuffer | SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
  readonly compression: E01Compression;
  /**
   * Where the stored chunks go, one after another (outBytes(length) at least), followed by an
   * Int32 per chunk: its stored size, positive when deflated, negative when raw (body and checksum).
   * Shared and reused, so no batch allocates memory that the owner's collector must catch up with.
   */
  readonly out: SharedArrayBuffer;
}

export type DeflateReply = PoolReply;

/** Bytes of output room for `length` bytes of chunks: every chunk stored raw with its checksum. */
export function outBytes(length: number): number {
  return length + 4 * Math.ceil(length / CHUNK_BYTES);
}

/** A batch's stored chunks, views into shared output memory: call done() once they are written. */
export interface EncodedBatch {
  readonly chunks: StoredChunk[];
  readonly done: () => void;
}

export class ChunkDeflater {
  readonly #pool: ThreadPool<DeflateRequest, DeflateReply>;
  readonly #compression: E01Compression;
  readonly #outs: SharedArrayBuffer[] = [];

  constructor(threads: number, compression: E01Compression) {
    // Every deflateSync leaves a zlib handle (about 300 KiB outside the heap) for the collector; a
    // small young generation collects them often, which keeps each thread's memory near 50 MiB
    // instead of 90.
    this.#pool = new ThreadPool(WORKER_URL, threads, 'deflate', { maxYoungGenerationSizeMb: 3 });
    this.#compression = compression;
  }

  /**
   * Encodes the chunks of `data` (whole 32 KiB chunks, but for the media's last). Lent memory is
   * held until encoded; otherwise `data` must span its own ArrayBuffer, which is given away.
   */
  async encode(data: Uint8Array): Promise<EncodedBatch> {
    const lent = retain(data);
    if (!lent && (data.buffer instanceof SharedArrayBuffer || data.byteOffset !== 0)) {
      throw new Error('a batch to deflate must be lent memory or a buffer of its own');
    }
    const n = Math.ceil(data.length / CHUNK_BYTES);
    const room = outBytes(data.length);
    const pooled = this.#outs.pop();
    const out = pooled && pooled.byteLength >= room + 4 * n ? pooled : new SharedArrayBuffer(outBytes(BATCH_MAX) + 4 * (BATCH_MAX / CHUNK_BYTES));
    if (room + 4 * n > out.byteLength) throw new RangeError(`a deflate batch holds at most ${BATCH_MAX} bytes`);
    const request: DeflateRequest = {
      id: this.#pool.nextId(), data: data.buffer, offset: data.byteOffset, length: data.length, compression: this.#compression, out,
    };
    try {
      await this.#pool.run(request, lent ? [] : [data.buffer as ArrayBuffer]);
    } catch (e) {
      this.#outs.push(out);
      throw e;
    } finally {
      if (lent) release(data);
    }
    const sizes = new Int32Array(out, room, n);
    const chunks: StoredChunk[] = [];
    let at = 0;
    for (const s of sizes) {
      const size = Math.abs(s);
      if (s > 0) {
        chunks.push({ body: Buffer.from(out, at, size), compressed: true, size });
      } else {
        chunks.push({ body: Buffer.from(out, at, size - 4), checksum: Buffer.from(out, at + size - 4, 4), compressed: false, size });
      }
      at += size;
    }
    return { chunks, done: () => this.#outs.push(out) };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
