// MultiHasher: MD5, SHA-1 and SHA-256 of one stream at once, on several cores. Each worker thread
// hashes a group of algorithms; the caller's thread only copies each chunk into a shared slot
// (a bounded ring, so a fast producer waits instead of piling up memory). Optionally one group runs
// on the caller's thread itself. See docs/hashing.md for the layout we measured and chose.

import { Worker } from 'node:worker_threads';
import { isLent, release, retain } from '../../drivers/block/lease.ts';
import { normaliseAlgos, type Algo } from './algorithms.ts';
import type { EngineKind } from './hash-engine.ts';
import { HashGroup, type GroupResult } from './hash-group.ts';
import type { FromWorker, HashWorkerData, ToWorker } from './hash-protocol.ts';
import type { HashState } from './hash-state.ts';
import { checkWindow, mergePieces, type Piece, type WindowHash } from './piecewise.ts';

const WORKER_URL = new URL('./hash-worker.ts', import.meta.url);

export interface MultiHasherOptions<A extends Algo> {
  algos: readonly A[];
  /** 'native' (node:crypto, default, fastest) or 'wasm' (hash-wasm: slower, but save() works). */
  engine?: EngineKind;
  /** Piecewise hashes: one per window of this many bytes (a multiple of 4096). Off when absent. */
  window?: number;
  /** States from save() to continue from (wasm engine only). */
  resume?: readonly HashState[];
  /**
   * How the algorithms share threads: each inner list is one worker. Default: one worker per
   * algorithm. Algorithms in `inline` run on the caller's thread instead.
   */
  workers?: readonly (readonly A[])[];
  inline?: readonly A[];
  /** Bytes per shared slot (default 1 MiB) and number of slots (default 16): the queue bound. */
  slotSize?: number;
  slots?: number;
}

export interface HashResult<A extends Algo> {
  digests: Record<A, string>;
  bytes: number;
  /** Present when windows were on. */
  pieces?: Piece[];
}

/** Lent bytes queued to the workers at most: past it, update() waits, as it does for slots. */
const LENT_LIMIT = 8 << 20;

interface Lent {
  readonly view: Uint8Array;
  left: number;
}

interface Pending<T> {
  resolve: (v: T) => void;
  reject: (e: Error) => void;
}

export class MultiHasher<A extends Algo = Algo> {
  readonly algos: readonly A[];
  readonly #workers: Worker[] = [];
  readonly #inline: HashGroup | undefined;
  readonly #shared: SharedArrayBuffer;
  readonly #slotSize: number;
  readonly #free: number[] = [];
  readonly #refs: Int32Array;
  readonly #waiting: Pending<number>[] = [];
  readonly #lent = new Map<number, Lent>();
  readonly #lentWaiting: Pending<void>[] = [];
  #lentBytes = 0;
  #nextLent = 0;
  readonly #saves = new Map<number, { left: number; states: HashState[] } & Pending<HashState[]>>();
  #finishing: ({ left: number; results: GroupResult[] } & Pending<GroupResult[]>) | undefined;
  #nextSave = 0;
  #bytes: number;
  #failure: Error | undefined;
  #done = false;

  private constructor(opts: MultiHasherOptions<A>, inline: HashGroup | undefined, bytes: number) {
    this.algos = normaliseAlgos(opts.algos) as A[];
    this.#inline = inline;
    this.#bytes = bytes;
    this.#slotSize = opts.slotSize ?? 2 ** 20;
    const slots = opts.slots ?? 16;
    this.#shared = new SharedArrayBuffer(this.#slotSize * slots);
    this.#refs = new Int32Array(slots);
    for (let i = 0; i < slots; i++) this.#free.push(i);
  }

  static async create<A extends Algo>(opts: MultiHasherOptions<A>): Promise<MultiHasher<A>> {
    const algos = normaliseAlgos(opts.algos) as A[];
    const kind = opts.engine ?? 'native';
    if (opts.window !== undefined) checkWindow(opts.window);
    if (opts.resume) {
      if (kind !== 'wasm') throw new Error('only the wasm engine can resume a saved hash');
      const counts = new Set(opts.resume.map((s) => s.bytes));
      if (counts.size > 1) throw new Error('saved hash states disagree on the bytes hashed');
    }
    // A layout may name algorithms this hasher does not compute; those are left out.
    const inlineAlgos = algos.filter((a) => opts.inline?.includes(a));
    const groups = opts.workers
      ? opts.workers.map((g) => algos.filter((a) => g.includes(a))).filter((g) => g.length > 0)
      : algos.filter((a) => !inlineAlgos.includes(a)).map((a) => [a]);
    const placed = [...inlineAlgos, ...groups.flat()];
    if (placed.length !== algos.length || new Set(placed).size !== algos.length) {
      throw new Error('every algorithm must be placed on exactly one thread');
    }
    const inline = inlineAlgos.length ? await HashGroup.create(inlineAlgos, kind, opts.window, opts.resume) : undefined;
    const h = new MultiHasher<A>(opts, inline, opts.resume?.[0]?.bytes ?? 0);
    for (const g of groups) {
      const data: HashWorkerData = {
        algos: g,
        kind,
        window: opts.window,
        resume: opts.resume?.filter((s) => g.includes(s.algo as A)),
        shared: h.#shared,
        slotSize: h.#slotSize,
      };
      const w = new Worker(WORKER_URL, { workerData: data });
      w.on('message', (m: FromWorker) => h.#onMessage(m));
      w.on('error', (e) => h.#fail(e));
      w.on('exit', (code) => {
        // A worker leaves by itself only after sending its result; one that leaves earlier, or with an error code, failed.
        if (code !== 0 || (!h.#done && !h.#finishing)) h.#fail(new Error(`hash worker exited (code ${code}) before the hash was finished`));
      });
      h.#workers.push(w);
    }
    return h;
  }

  /** Bytes fed so far, counting those hashed before a resume. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Queues buf for hashing; resolves once it is copied, so the caller may reuse buf at once. Lent
   * memory (drivers/block/lease.ts) is not copied but held until hashed, so the same holds.
   * Waits while every slot is taken (the workers are behind).
   */
  async update(buf: Uint8Array): Promise<void> {
    this.#check();
    if (this.#workers.length > 0 && buf.length > 0 && isLent(buf)) return this.#updateLent(buf);
    for (let off = 0; off < buf.length; off += this.#slotSize) {
      const chunk = buf.subarray(off, Math.min(off + this.#slotSize, buf.length));
      this.#inline?.update(chunk);
      this.#bytes += chunk.length;
      if (this.#workers.length === 0) continue;
      const slot = this.#free.pop() ?? (await this.#slot());
      this.#check();
      new Uint8Array(this.#shared, slot * this.#slotSize, chunk.length).set(chunk);
      this.#refs[slot] = this.#workers.length;
      const msg: ToWorker = { type: 'data', slot, length: chunk.length };
      for (const w of this.#workers) w.postMessage(msg);
    }
  }

  /** Lent bytes are not copied: the workers hash them in place, and the lease is held until they have. */
  async #updateLent(buf: Uint8Array): Promise<void> {
    while (this.#lentBytes > 0 && this.#lentBytes + buf.length > LENT_LIMIT) {
      await new Promise<void>((resolve, reject) => this.#lentWaiting.push({ resolve, reject }));
      this.#check();
    }
    if (!retain(buf)) return this.update(buf);
    this.#inline?.update(buf);
    this.#bytes += buf.length;
    const id = this.#nextLent++;
    this.#lent.set(id, { view: buf, left: this.#workers.length });
    this.#lentBytes += buf.length;
    const msg: ToWorker = { type: 'lent', id, shared: buf.buffer as SharedArrayBuffer, offset: buf.byteOffset, length: buf.length };
    for (const w of this.#workers) w.postMessage(msg);
  }

  #lentDone(id: number): void {
    const l = this.#lent.get(id);
    if (!l || --l.left > 0) return;
    this.#lent.delete(id);
    this.#lentBytes -= l.view.length;
    release(l.view);
    this.#lentWaiting.shift()?.resolve();
  }

  /** Every algorithm's state after all bytes fed so far (wasm engine only): store it with the checkpoint. */
  async save(): Promise<HashState[]> {
    this.#check();
    const own = this.#inline?.save() ?? [];
    if (this.#workers.length === 0) return this.#order(own);
    const id = this.#nextSave++;
    const states = await new Promise<HashState[]>((resolve, reject) => {
      this.#saves.set(id, { left: this.#workers.length, states: [...own], resolve, reject });
      for (const w of this.#workers) w.postMessage({ type: 'save', id } satisfies ToWorker);
    });
    return this.#order(states);
  }

  async finish(): Promise<HashResult<A>> {
    this.#check();
    const results = [...(this.#inline?.finish() ?? [])];
    if (this.#workers.length > 0) {
      const fromWorkers = await new Promise<GroupResult[]>((resolve, reject) => {
        this.#finishing = { left: this.#workers.length, results: [], resolve, reject };
        for (const w of this.#workers) w.postMessage({ type: 'finish' } satisfies ToWorker);
      });
      results.push(...fromWorkers);
    }
    this.#done = true;
    const digests = {} as Record<A, string>;
    const byAlgo: Partial<Record<Algo, WindowHash[]>> = {};
    for (const a of this.algos) {
      const r = results.find((x) => x.algo === a)!;
      digests[a] = r.hex;
      if (r.pieces) byAlgo[a] = r.pieces;
    }
    const out: HashResult<A> = { digests, bytes: this.#bytes };
    if (Object.keys(byAlgo).length > 0) out.pieces = mergePieces(byAlgo);
    return out;
  }

  async digest(): Promise<Record<A, string>> {
    return (await this.finish()).digests;
  }

  /** Stops the workers without a result (a job aborted). */
  async close(): Promise<void> {
    this.#done = true;
    this.#fail(new Error('hasher closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #order(states: HashState[]): HashState[] {
    return this.algos.map((a) => states.find((s) => s.algo === a)!);
  }

  #slot(): Promise<number> {
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #check(): void {
    if (this.#failure) throw this.#failure;
    if (this.#done) throw new Error('hasher already finished');
  }

  #onMessage(m: FromWorker): void {
    if (m.type === 'lentDone') {
      this.#lentDone(m.id);
    } else if (m.type === 'done') {
      if (--this.#refs[m.slot] > 0) return;
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(m.slot);
      else this.#free.push(m.slot);
    } else if (m.type === 'saved') {
      const s = this.#saves.get(m.id);
      if (!s) return;
      s.states.push(...m.states);
      if (--s.left === 0) {
        this.#saves.delete(m.id);
        s.resolve(s.states);
      }
    } else if (m.type === 'finished') {
      const f = this.#finishing;
      if (!f) return;
      f.results.push(...m.results);
      if (--f.left === 0) {
        this.#finishing = undefined;
        f.resolve(f.results);
      }
    } else {
      this.#fail(new Error(`hash worker failed: ${m.message}`));
    }
  }

  #fail(e: Error): void {
    if (this.#failure) return;
    this.#failure = e;
    for (const w of this.#waiting.splice(0)) w.reject(e);
    for (const w of this.#lentWaiting.splice(0)) w.reject(e);
    // The result is void now: whatever the workers still read is never used.
    for (const l of this.#lent.values()) release(l.view);
    this.#lent.clear();
    for (const s of this.#saves.values()) s.reject(e);
    this.#saves.clear();
    this.#finishing?.reject(e);
    this.#finishing = undefined;
    if (!this.#done) for (const w of this.#workers) void w.terminate();
  }
}
