// The hash algorithms an acquisition can carry, and how people and tools name them.

export type Algo = 'md5' | 'sha1' | 'sha256';

export const ALGOS: readonly Algo[] = ['md5', 'sha1', 'sha256'];

/** The name printed in reports. */
export const ALGO_NAMES: Record<Algo, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };

export const HEX_LENGTH: Record<Algo, number> = { md5: 32, sha1: 40, sha256: 64 };

export function isAlgo(s: unknown): s is Algo {
  return s === 'md5' || s === 'sha1' || s === 'sha256';
}

/** The algorithms in canonical order, each once; refuses unknown names and an empty list. */
export function normaliseAlgos(algos: readonly string[]): Algo[] {
  for (const a of algos) if (!isAlgo(a)) throw new RangeError(`unknown hash algorithm '${a}'`);
  const out = ALGOS.filter((a) => algos.includes(a));
  if (out.length === 0) throw new RangeError('no hash algorithm chosen');
  return out;
}
