// A few threads that compress zstd frames, so compression uses more than one core and never runs
// on libuv's pool, which image, mapfile and log writes share (a level-19 frame holds a thread for
// a second). Results come back in the order asked for; the caller bounds how many are in flight.

import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./zstd-frame-worker.ts', import.meta.url);

export interface FrameRequest {
  readonly id: number;
  /** Transferred to the worker: the caller gives up this buffer. */
  readonly data: ArrayBuffer;
  readonly length: number;
  readonly level: number;
}

export type FrameReply =
  | { readonly id: number; readonly ok: true; readonly frame: ArrayBuffer }
  | { readonly id: number; readonly ok: false; readonly message: string };

interface Job {
  readonly request: FrameRequest;
  readonly resolve: (frame: Buffer) => void;
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
  #nextId = 1;
  #failure: Error | undefined;

  constructor(threads: number, level: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`invalid thread count ${threads}`);
    this.#level = level;
    for (let i = 0; i < threads; i++) {
      const slot: Slot = { worker: new Worker(WORKER_URL), job: undefined };
      slot.worker.on('message', (m: FrameReply) => this.#onReply(slot, m));
      slot.worker.on('error', (e) => this.#fail(new Error(`zstd worker failed: ${e.message}`)));
      slot.worker.on('exit', (code) => this.#fail(new Error(`zstd worker exited (${code})`)));
      // Only a thread with work keeps the process alive.
      slot.worker.unref();
      this.#slots.push(slot);
    }
  }

  /** Compresses `length` bytes of `data` (which is transferred away) into one zstd frame. */
  compress(data: ArrayBuffer, length: number): Promise<Buffer> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ request: { id: this.#nextId++, data, length, level: this.#level }, resolve, reject });
      this.#dispatch();
    });
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
      slot.worker.postMessage(job.request, [job.request.data]);
    }
  }

  #onReply(slot: Slot, m: FrameReply): void {
    const job = slot.job;
    if (!job || job.request.id !== m.id) return;
    slot.job = undefined;
    slot.worker.unref();
    if (m.ok) job.resolve(Buffer.from(m.frame));
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
