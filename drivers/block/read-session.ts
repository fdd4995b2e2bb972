// The owner's side of one read worker: its thread, its fd and its buffer, for as long as it answers.
// A session that timed out is abandoned, never reused: its thread may still be inside readSync and
// will write into its own memory whenever the kernel lets go, so nothing else may ever see that memory.

import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { alignedView, createReadMemory, ensureCapacity, WASM_PAGE } from './aligned.ts';
import { lend } from './lease.ts';
import type { ReadReply, ReadWorkerData, WorkerReply, WorkerRequest } from './read-protocol.ts';
import type { ReadResult } from './types.ts';

const WORKER_URL = new URL('./read-worker.ts', import.meta.url);

export interface SessionOptions {
  readonly direct: boolean;
  readonly allowBuffered: boolean;
}

/** An open() failure from the worker, shaped like Node's own errors so callers can switch on code. */
export class OpenError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'OpenError';
    this.code = code;
  }
}

interface Pending {
  readonly id: number;
  readonly len: number;
  readonly slot: SharedArrayBuffer | undefined;
  readonly settle: (r: ReadResult) => void;
}

/** Reads up to this size go into a lent slot (see lease.ts) instead of a fresh copy. */
export const SLOT_BYTES = 4 << 20;
/**
 * Slots a session may lend at once. Enough for every byte an acquisition keeps in flight (the
 * stream sink's, the hashers' and the compressors' queues); when all are out, reads fall back to
 * copies, so a caller that never releases costs memory only up to this bound.
 */
export const MAX_SLOTS = 12;

/** A slot of its own page-aligned shared memory, so O_DIRECT can read into it. */
function newSlot(): SharedArrayBuffer {
  const pages = SLOT_BYTES / WASM_PAGE;
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as unknown as SharedArrayBuffer;
}

export class ReadSession {
  readonly direct: boolean;
  readonly #worker: Worker;
  readonly #memory: WebAssembly.Memory;
  readonly #fd: number;
  #pending: Pending | undefined;
  readonly #freeSlots: SharedArrayBuffer[] = [];
  #slots = 0;
  #nextId = 1;
  /** Set once the thread died or was given up on: no more reads. */
  #dead = false;

  private constructor(worker: Worker, memory: WebAssembly.Memory, fd: number, direct: boolean) {
    this.#worker = worker;
    this.#memory = memory;
    this.#fd = fd;
    this.direct = direct;
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'read') this.#onReply(m);
    });
    worker.on('error', (e) => this.#onDeath(`read worker failed: ${e.message}`, false));
    worker.on('exit', (code) => this.#onDeath(`read worker exited (${code})`, true));
    worker.unref();
  }

  /** Start a worker and wait until it has opened the path. Rejects with an OpenError when it cannot. */
  static open(path: string, opts: SessionOptions): Promise<ReadSession> {
    const memory = createReadMemory();
    const workerData: ReadWorkerData = { path, direct: opts.direct, allowBuffered: opts.allowBuffered, memory };
    const worker = new Worker(WORKER_URL, { workerData });
    return new Promise((resolve, reject) => {
      const fail = (e: Error): void => {
        worker.off('message', onMessage);
        void worker.terminate().catch(() => {});
        reject(e);
      };
      const onMessage = (m: WorkerReply): void => {
        if (m.type !== 'open') return;
        worker.off('error', fail);
        worker.off('message', onMessage);
        if (m.ok) resolve(new ReadSession(worker, memory, m.fd, m.direct));
        else fail(new OpenError(m.code, m.message));
      };
      worker.on('message', onMessage);
      worker.once('error', fail);
    });
  }

  get busy(): boolean {
    return this.#pending !== undefined;
  }

  get alive(): boolean {
    return !this.#dead;
  }

  /**
   * One read at a time; the source serialises them. The result's data holds `need` bytes (default
   * len): fewer only at the end of a file that is not whole sectors. It is a lent slot when one is
   * free (release it with lease.ts once done), else a fresh copy.
   */
  read(pos: number, len: number, timeoutMs: number | undefined, need = len): Promise<ReadResult> {
    if (this.#dead) throw new Error('read session is closed');
    if (this.#pending) throw new Error('read session is busy');
    ensureCapacity(this.#memory, len);
    const id = this.#nextId++;
    const slot = len <= SLOT_BYTES ? this.#takeSlot() : undefined;
    return new Promise<ReadResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (r: ReadResult): void => {
        if (timer) clearTimeout(timer);
        this.#pending = undefined;
        if (!this.#dead) this.#worker.unref();
        resolve(r);
      };
      this.#pending = { id, len: need, slot, settle };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          settle({
            ok: false,
            kind: 'timeout',
            code: 'ETIMEDOUT',
            message: `no answer within ${timeoutMs} ms for ${len} bytes at ${pos}`,
          });
          this.abandon();
        }, timeoutMs);
      }
      // Held while a read is out, so a caller awaiting only this read keeps the process alive.
      this.#worker.ref();
      const req: WorkerRequest = { type: 'read', id, pos, len, need, slot };
      this.#worker.postMessage(req);
    });
  }

  #onReply(m: ReadReply): void {
    const p = this.#pending;
    if (!p || p.id !== m.id) return;
    const slot = p.slot;
    if (m.ok && slot) {
      lend(slot, () => this.#freeSlots.push(slot));
      p.settle({ ok: true, data: Buffer.from(slot, 0, p.len), deviceMs: m.ms });
    } else if (m.ok) {
      p.settle({ ok: true, data: Buffer.from(alignedView(this.#memory, p.len)), deviceMs: m.ms });
    } else {
      // The worker has finished with the slot: it can take the next read.
      if (slot) this.#freeSlots.push(slot);
      p.settle({ ok: false, kind: 'error', code: m.code, message: m.message });
    }
  }

  // A slot whose read timed out is never given back: the abandoned thread may still write into it.
  #takeSlot(): SharedArrayBuffer | undefined {
    const free = this.#freeSlots.pop();
    if (free) return free;
    if (this.#slots >= MAX_SLOTS) return undefined;
    this.#slots++;
    return newSlot();
  }

  #onDeath(message: string, exited: boolean): void {
    const wasDead = this.#dead;
    this.#dead = true;
    this.#pending?.settle({ ok: false, kind: 'error', code: 'EWORKER', message });
    if (wasDead) return;
    if (exited) this.#closeFd();
    else this.#worker.once('exit', () => this.#closeFd());
  }

  /**
   * Give up on this worker without waiting: it may be stuck in uninterruptible sleep until the kernel
   * gives up on the command. terminate() lands once readSync returns; the fd is closed after that.
   */
  abandon(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#pending?.settle({ ok: false, kind: 'error', code: 'ECANCELED', message: 'read abandoned: source reopened or closed' });
    this.#worker.unref();
    this.#worker.once('exit', () => this.#closeFd());
    void this.#worker.terminate().catch(() => {});
  }

  // The fd is the process's, not the thread's: a terminated worker leaves it open. Nobody else can
  // be given that number while it is open, so closing it once the thread is gone is safe.
  #closeFd(): void {
    fs.close(this.#fd, () => {});
  }

  /** Close an idle session: the worker closes its fd and exits. A busy one is abandoned instead. */
  async close(): Promise<void> {
    if (this.#dead) return;
    if (this.#pending) {
      this.abandon();
      return;
    }
    this.#dead = true;
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.ref();
    const req: WorkerRequest = { type: 'close' };
    this.#worker.postMessage(req);
    await exited;
  }
}
