// One running hash, behind one interface whether node:crypto or hash-wasm computes it.
// node:crypto is the fast one (it uses the CPU's SHA instructions) but its state cannot be saved;
// hash-wasm is slower (SHA-256 about 5x) and can save() and load() its state, so a job that must
// resume its hashes after a crash uses it.

import { createHash, type Hash } from 'node:crypto';
import { createMD5, createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { Algo } from './algorithms.ts';

export type EngineKind = 'native' | 'wasm';

export interface HashEngine {
  readonly algo: Algo;
  readonly kind: EngineKind;
  update(data: Uint8Array): void;
  /** The hex digest; the engine then starts over, empty. */
  digest(): string;
  /** The internal state (wasm only): what load() takes to continue from exactly here. */
  save(): Uint8Array;
  load(state: Uint8Array): void;
}

const NATIVE_NAMES: Record<Algo, string> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256' };

class NativeEngine implements HashEngine {
  readonly algo: Algo;
  readonly kind = 'native' as const;
  #hash: Hash;

  constructor(algo: Algo) {
    this.algo = algo;
    this.#hash = createHash(NATIVE_NAMES[algo]);
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): string {
    const hex = this.#hash.digest('hex');
    this.#hash = createHash(NATIVE_NAMES[this.algo]);
    return hex;
  }

  save(): Uint8Array {
    throw new Error(`node:crypto cannot save a ${this.algo} state: use the wasm engine for resumable hashes`);
  }

  load(): void {
    throw new Error(`node:crypto cannot load a ${this.algo} state: use the wasm engine for resumable hashes`);
  }
}

class WasmEngine implements HashEngine {
  readonly algo: Algo;
  readonly kind = 'wasm' as const;
  readonly #h: IHasher;

  constructor(algo: Algo, h: IHasher) {
    this.algo = algo;
    this.#h = h;
    h.init();
  }

  update(data: Uint8Array): void {
    this.#h.update(data);
  }

  digest(): string {
    const hex = this.#h.digest('hex');
    this.#h.init();
    return hex;
  }

  save(): Uint8Array {
    return this.#h.save();
  }

  load(state: Uint8Array): void {
    // load() checks that the state came from the same algorithm and throws otherwise.
    this.#h.load(state);
  }
}

const WASM_FACTORIES: Record<Algo, () => Promise<IHasher>> = {
  md5: createMD5,
  sha1: createSHA1,
  sha256: createSHA256,
};

export async function createEngine(algo: Algo, kind: EngineKind): Promise<HashEngine> {
  if (kind === 'native') return new NativeEngine(algo);
  return new WasmEngine(algo, await WASM_FACTORIES[algo]());
}
