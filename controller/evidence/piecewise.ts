// Piecewise hashes, as dcfldd's hashwindow: one hash per window of N bytes of the image, so a
// mismatch found later points at the gigabyte that changed instead of condemning the whole image.
// The default window is 1 GiB: a 20 TB drive gives about 18,600 lines, and every window is a whole
// number of sectors for both 512- and 4096-byte sectors.

import { ALGO_NAMES, type Algo } from './algorithms.ts';
import type { HashEngine } from './hash-engine.ts';

export const DEFAULT_WINDOW = 2 ** 30;

/** One window's hash for one algorithm. */
export interface WindowHash {
  offset: number;
  length: number;
  hex: string;
}

/** One window with every algorithm's hash of it. */
export interface Piece {
  offset: number;
  length: number;
  hashes: Partial<Record<Algo, string>>;
}

/** Where a piecewise hash stands, so a resumed job can go on from here (wasm engines only). */
export interface PiecewiseState {
  window: number;
  /** Bytes hashed into the current, unfinished window. */
  partial: number;
  pieces: WindowHash[];
}

export function checkWindow(window: number): void {
  if (!Number.isSafeInteger(window) || window <= 0 || window % 4096 !== 0) {
    throw new RangeError(`hash window ${window} is not a positive multiple of 4096 bytes`);
  }
}

/** Hashes consecutive windows of a stream with one engine, restarted at each window's start. */
export class PiecewiseHasher {
  readonly window: number;
  readonly #engine: HashEngine;
  readonly #pieces: WindowHash[];
  #start: number;
  #partial: number;

  constructor(window: number, engine: HashEngine, resume?: PiecewiseState) {
    checkWindow(window);
    this.window = window;
    this.#engine = engine;
    this.#pieces = resume ? resume.pieces.map((p) => ({ ...p })) : [];
    if (resume && resume.window !== window) throw new RangeError(`saved hash window ${resume.window} is not ${window}`);
    this.#start = this.#pieces.reduce((n, p) => n + p.length, 0);
    this.#partial = resume ? resume.partial : 0;
  }

  update(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(this.window - this.#partial, data.length - off);
      this.#engine.update(data.subarray(off, off + n));
      off += n;
      this.#partial += n;
      if (this.#partial === this.window) this.#close();
    }
  }

  /** The state to save beside the engine's own (the caller saves the engine). */
  state(): PiecewiseState {
    return { window: this.window, partial: this.#partial, pieces: this.#pieces.map((p) => ({ ...p })) };
  }

  /** Every window, the last one short when the stream ended inside it. */
  finish(): WindowHash[] {
    if (this.#partial > 0) this.#close();
    return this.#pieces.map((p) => ({ ...p }));
  }

  #close(): void {
    this.#pieces.push({ offset: this.#start, length: this.#partial, hex: this.#engine.digest() });
    this.#start += this.#partial;
    this.#partial = 0;
  }
}

/** Joins each algorithm's windows into one list; the lists must cover the same windows. */
export function mergePieces(byAlgo: Partial<Record<Algo, WindowHash[]>>): Piece[] {
  const out: Piece[] = [];
  for (const [algo, list] of Object.entries(byAlgo) as [Algo, WindowHash[]][]) {
    if (out.length === 0 && list.length > 0) {
      for (const w of list) out.push({ offset: w.offset, length: w.length, hashes: {} });
    }
    if (list.length !== out.length) throw new Error(`${algo} has ${list.length} windows, others ${out.length}`);
    list.forEach((w, i) => {
      if (w.offset !== out[i].offset || w.length !== out[i].length) throw new Error(`${algo} window ${i} differs`);
      out[i].hashes[algo] = w.hex;
    });
  }
  return out;
}

/**
 * The piecewise log, in dcfldd's hashlog shape: per algorithm, one "START - END: HEX" line per
 * window (END exclusive), then "Total (ALGO): HEX" for the whole image.
 */
export function formatPiecewiseLog(
  pieces: readonly Piece[],
  totals: Partial<Record<Algo, string>>,
  header: readonly string[] = [],
): string {
  const lines = header.map((h) => `# ${h}`);
  const algos = (Object.keys(totals) as Algo[]).filter((a) => pieces.every((p) => p.hashes[a] !== undefined));
  for (const algo of algos) {
    lines.push(`# ${ALGO_NAMES[algo]}, ${pieces.length} windows`);
    for (const p of pieces) lines.push(`${p.offset} - ${p.offset + p.length}: ${p.hashes[algo]}`);
    lines.push(`Total (${algo}): ${totals[algo]}`);
  }
  return lines.join('\n') + '\n';
}
