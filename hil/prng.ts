// Seeded randomness for the emulated drives: one stateless hash to derive independent seeds
// from (seed, index) pairs, and one small fast generator. Both are pure 32-bit integer arithmetic,
// so the same seed gives the same drive on every machine.

/** A 32-bit avalanche hash of a seed and up to two more words (murmur3's finaliser, chained). */
export function hash32(seed: number, a: number, b = 0): number {
  let h = mix(seed ^ 0x9e3779b9);
  h = mix(h ^ Math.imul(a | 0, 0x85ebca6b));
  h = mix(h ^ Math.imul(b | 0, 0xc2b2ae35));
  return h >>> 0;
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return x ^ (x >>> 16);
}

/** Splits a position-sized index into the two 32-bit words hash32 takes. */
export function hashIndex(seed: number, index: number, salt = 0): number {
  return hash32(seed ^ salt, index % 0x1_0000_0000, Math.floor(index / 0x1_0000_0000));
}

/** xoshiro128**: fast, 128-bit state, good enough statistics for test data. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // A zero state would stay zero forever; hashing distinct salts cannot give four zeros.
    this.a = hash32(seed, 1);
    this.b = hash32(seed, 2);
    this.c = hash32(seed, 3);
    this.d = hash32(seed, 4);
  }

  /** The next 32 random bits, unsigned. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /** Fills every word of out; the hot path of random content. */
  fill(out: Uint32Array): void {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(b, 5), 7), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [lo, hi], inclusive; exact enough for ranges far beyond 2^32. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
