// A resumable hash, as JSON: what one algorithm had hashed when the job last saved its checkpoint.
// Saved together with the mapfile; on resume the job feeds the hasher from `bytes` onwards.

import { isAlgo, type Algo } from './algorithms.ts';
import type { WindowHash } from './piecewise.ts';

export interface HashState {
  algo: Algo;
  /** Bytes of the stream hashed into `state`. */
  bytes: number;
  /** hash-wasm's save(), base64. */
  state: string;
  /** The piecewise hash, when the job keeps one. */
  window?: {
    size: number;
    /** Bytes of the current window already hashed into `state`. */
    partial: number;
    state: string;
    pieces: WindowHash[];
  };
}

export function encodeState(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function decodeState(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Checks a parsed JSON value (from a job's checkpoint file) and returns it typed, or throws saying what is wrong. */
export function parseHashStates(value: unknown): HashState[] {
  if (!Array.isArray(value)) throw new TypeError('hash states: not a list');
  return value.map((v, i) => {
    const s = v as Partial<HashState> | null;
    const where = `hash state ${i}`;
    if (typeof s !== 'object' || s === null) throw new TypeError(`${where}: not an object`);
    if (!isAlgo(s.algo)) throw new TypeError(`${where}: unknown algorithm ${String(s.algo)}`);
    if (!isCount(s.bytes)) throw new TypeError(`${where}: bad byte count`);
    if (typeof s.state !== 'string') throw new TypeError(`${where}: no state`);
    const w = s.window;
    if (w !== undefined) {
      if (!isCount(w.size) || !isCount(w.partial) || typeof w.state !== 'string' || !Array.isArray(w.pieces)) {
        throw new TypeError(`${where}: bad window`);
      }
      const covered = w.pieces.reduce((n, p) => n + p.length, 0) + w.partial;
      if (covered !== s.bytes) throw new TypeError(`${where}: windows cover ${covered} bytes, not ${s.bytes}`);
    }
    return s as HashState;
  });
}
