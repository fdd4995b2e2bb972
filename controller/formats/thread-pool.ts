// A few worker threads that each take one job at a time, in the order asked, answering with the
// same id. Compression runs here rather than on libuv's pool, which the image, mapfile and log
// writes share; the caller bounds how many jobs are in flight.

import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

export interface PoolReply {
  readonly id: number;
  readonly ok: boolean;
  readonly message?: string;
}

interface Job<Rep> {
  readonly request: { readonly id: number };
  readonly transfer: readonly Transferable[];
  readonly resolve: (r: Rep) => void;
  readonly reject: (e: Error) => void;
}

interface Slot<Rep> {
  readonly worker: Worker;
  job: Job<Rep> | undefined;
}

export class ThreadPool<Req extends { readonly id: number }, Rep extends PoolReply> {
  readonly #slots: Slot<Rep>[] = [];
  readonly #queue: Job<Rep>[] = [];
  readonly #name: string;
  #nextId = 1;
  #failure: Error | undefined;

  constructor(url: URL, threads: number, name: string, limits?: ResourceLimits) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`invalid thread count ${threads}`);
    this.#name = name;
    for (let i = 0; i < threads; i++) {
      const slot: Slot<Rep> = { worker: new Worker(url, { resourceLimits: limits }), job: undefined };
      slot.worker.on('message', (m: Rep) => this.#onReply(slot, m));
      slot.worker.on('error', (e) => this.#fail(new Error(`${name} worker failed: ${e.message}`)));
      slot.worker.on('exit', (code) => this.#fail(new Error(`${name} worker exited (${code})`)));
      // Only a thread with work keeps the process alive.
      slot.worker.unref();
      this.#slots.push(slot);
    }
  }

  nextId(): number {
    return this.#nextId++;
  }

  /** Runs one job; `transfer` lists what the request gives away. A failed reply rejects. */
  run(request: Req, transfer: readonly Transferable[] = []): Promise<Rep> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, transfer, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#fail(new Error(`${this.#name} pool closed`));
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.job || this.#queue.length === 0) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.request, [...job.transfer]);
    }
  }

  #onReply(slot: Slot<Rep>, m: Rep): void {
    const job = slot.job;
    if (!job || job.request.id !== m.id) return;
    slot.job = undefined;
    slot.worker.unref();
    if (m.ok) job.resolve(m);
    else job.reject(new Error(`${this.#name} failed: ${m.message}`));
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
