// A few threads that compress zstd frames, so compression uses more than one core and never runs
// on libuv's pool, which image, mapfile and log writes share (a level-19 frame holds a thread for
// a second). Results come back in the order asked for; the caller bounds how many are in flight.

import { Worker } from 'node:worker_threads';
import { release, retain } from '../../drivers/block/lease.ts';

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

interface Job {
  readonly request: FrameRequest;
  readonly transfer: boolean;
  readonly resolve: (frame: Frame) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
}

export class ZstdFramePool {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #level: number;
  readonly #outs: SharedArrayBuffer[] = [];
  #nextId = 1;
  #failure: Error | undefined;

  constructor(threads: number, level: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`invalid thread count ${threads}`);
    this.#level = level;
    for (let i = 0; i < threads; i++) {
      // Each frame leaves a zstd context (megabytes outside the heap) for the collector; a small
      // young generation collects them soon, which keeps the thread's memory down.
      const slot: Slot = { worker: new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: 3 } }), job: undefined };
      slot.worker.on('message', (m: FrameReply) => this.#onReply(slot, m));
      slot.worker.on('error', (e) => this.#fail(new Error(`zstd worker failed: ${e.message}`)));
      slot.worker.on('exit', (code) => this.#fail(new Error(`zstd worker exited (${code})`)));
      // Only a thread with work keeps the process alive.
      slot.worker.unref();
      this.#slots.push(slot);
    }
  }

  /**
   * Compresses `data` into one zstd frame. Lent memory (lease.ts) is held until compressed;
   * otherwise `data` must start its own ArrayBuffer, which is transferred away.
   */
  async compress(data: Uint8Array): Promise<Frame> {
    if (this.#failure) throw this.#failure;
    const lent = retain(data);
    if (!lent && (data.buffer instanceof SharedArrayBuffer || data.byteOffset !== 0)) {
      throw new Error('a frame to compress must be lent memory or a buffer of its own');
    }
    const room = frameRoom(data.length);
    const pooled = this.#outs.pop();
    const out = pooled && pooled.byteLength >= room ? pooled : new SharedArrayBuffer(room);
    try {
      return await new Promise<Frame>((resolve, reject) => {
        const request: FrameRequest = { id: this.#nextId++, data: data.buffer, offset: data.byteOffset, length: data.length, level: this.#level, out };
        this.#queue.push({ request, transfer: !lent, resolve, reject });
        this.#dispatch();
      });
    } catch (e) {
      this.#outs.push(out);
      throw e;
    } finally {
      if (lent) release(data);
    }
  }

  async close(): Promise<void> {
    this.#fail(new Error('zstd frame pool closed'));
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.job || this.#queue.length === 0) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.request, job.transfer ? [job.request.data as ArrayBuffer] : []);
    }
  }

  #onReply(slot: Slot, m: FrameReply): void {
    const job = slot.job;
    if (!job || job.request.id !== m.id) return;
    slot.job = undefined;
    slot.worker.unref();
    const out = job.request.out;
    if (m.ok) job.resolve({ bytes: Buffer.from(out, 0, m.length), done: () => this.#outs.push(out) });
    else job.reject(new Error(`zstd compression failed: ${m.message}`));
    this.#dispatch();
  }

  /** After a thread dies nothing is trusted: every waiting and future job fails. */
  #fail(e: Error): void {
    if (this.#failure) return;
    this.#failure = e;
    for (const slot of this.#slots) {
      slot.job?.reject(e);
      slot.job = undefined;
      slot.worker.unref();
    }
    for (const job of this.#queue.splice(0)) job.reject(e);
  }
}
