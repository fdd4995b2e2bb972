// The hashes of each file an image is made of (E01 segments, split-raw parts, the .zst), taken as
// the container writes them (formats/types.ts FileTap) rather than by reading the files back
// afterwards, which cost an acquisition about a fifth of its time. Each file gets one hasher thread
// while it is open: a file is smaller than the image and its hashes keep up on one core, and every
// thread costs memory.

import type { Algo } from '../evidence/algorithms.ts';
import { MultiHasher } from '../evidence/hasher.ts';
import type { FileTap } from '../formats/types.ts';

export class FileHashes implements FileTap {
  readonly #algos: readonly Algo[];
  readonly #open = new Map<string, Promise<MultiHasher>>();
  readonly #done = new Map<string, Record<Algo, string>>();

  constructor(algos: readonly Algo[]) {
    this.#algos = algos;
  }

  async bytes(file: string, data: Buffer): Promise<void> {
    await (await this.#hasher(file)).update(data);
  }

  async end(file: string): Promise<void> {
    const h = await this.#hasher(file);
    this.#open.delete(file);
    this.#done.set(file, (await h.finish()).digests);
  }

  /** A finished file's hashes; undefined for a file this tap never saw end. */
  of(file: string): Record<Algo, string> | undefined {
    return this.#done.get(file);
  }

  /** Stops the threads of files left unfinished (a failed or interrupted acquisition). */
  async close(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(open.map(async (p) => (await p.catch(() => undefined))?.close()));
  }

  #hasher(file: string): Promise<MultiHasher> {
    let h = this.#open.get(file);
    if (!h) {
      h = MultiHasher.create({ algos: this.#algos, workers: [this.#algos], slots: 8 });
      this.#open.set(file, h);
    }
    return h;
  }
}
