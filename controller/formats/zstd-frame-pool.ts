// A few threads that compress zstd frames, so compression uses more than one core and never runs
// on libuv's pool, which image, mapfile and log writes share (a level-19 frame holds a thread for
// a second). Results come back in the order asked for; the caller bounds how many are in flight.

import { release, retain } from '../../drivers/block/lease.ts';
import { ThreadPool } from './thread-pool.ts';

const WORKER_URL = new URL('./zstd-frame-worker.ts', import.meta.url);

export interface FrameRequest {
  readonly id: number;
  /** Transferred to the worker (the caller gives up this buffer), or lent shared memory. */
  readonly data: ArrayBuffer | SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
  readonly level: number;
  /** Where the frame goes: shared and reused, so frames allocate nothing. */
  readonly out: SharedArrayBuffer;
}

export type FrameReply =
  | { readonly id: number; readonly ok: true; readonly length: number }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** Room for one frame of `size` bytes: zstd's worst case (ZSTD_compressBound) with margin. */
function frameRoom(size: number): number {
  return size + (size >> 7) + 1024;
}

/** A compressed frame: a view into reused memory; call done() once it is written. */
export interface Frame {
  readonly bytes: Buffer;
  readonly done: () => void;
}

export class ZstdFramePool {
  // Each frame leaves a zstd context (megabytes outside the heap) for the collector; a small young
  // generation (and the worker's own collections) collect them soon, which keeps memory down.
  readonly #pool: ThreadPool<FrameRequest, FrameReply>;
  readonly #level: number;
  readonly #outs: SharedArrayBuffer[] = [];

  constructor(threads: number, level: number) {
    this.#pool = new ThreadPool(WORKER_URL, threads, 'zstd', { maxYoungGenerationSizeMb: 3 });
    this.#level = level;
  }

  /**
   * Compresses `data` into one zstd frame. Lent memory (lease.ts) is held until compressed;
   * otherwise `data` must start its own ArrayBuffer, which is transferred away.
   */
  async compress(data: Uint8Array): Promise<Frame> {
    const lent = retain(data);
    if (!lent && (data.buffer instanceof SharedArrayBuffer || data.byteOffset !== 0)) {
      throw new Error('a frame to compress must be lent memory or a buffer of its own');
    }
    const room = frameRoom(data.length);
    const pooled = this.#outs.pop();
    const out = pooled && pooled.byteLength >= room ? pooled : new SharedArrayBuffer(room);
    try {
      const request: FrameRequest = { id: this.#pool.nextId(), data: data.buffer, offset: data.byteOffset, length: data.length, level: this.#level, out };
      const reply = await this.#pool.run(request, lent ? [] : [data.buffer as ArrayBuffer]);
      if (!reply.ok) throw new Error(reply.message);
      return { bytes: Buffer.from(out, 0, reply.length), done: () => this.#outs.push(out) };
    } catch (e) {
      this.#outs.push(out);
      throw e;
    } finally {
      if (lent) release(data);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
