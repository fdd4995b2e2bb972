// Segment file names as EnCase numbers them: x.E01 … x.E99, then x.EAA … x.EZZ, x.FAA … x.ZZZ.
// The case of the first segment's extension is kept for the rest.

import { basename } from 'node:path';

const FIRST_EXTENSION = /\.([Ee])01$/;
const LETTERS = 26;
/** E01-E99, then three letters from EAA to ZZZ: (Z - E + 1) * 26 * 26 more. */
export const MAX_SEGMENTS = 99 + 22 * LETTERS * LETTERS;

/** Throws unless `firstPath` ends in .E01 (or .e01). */
export function checkFirstSegmentName(firstPath: string): void {
  if (!FIRST_EXTENSION.test(firstPath)) throw new RangeError(`${firstPath}: an E01 image's first segment must end in .E01`);
}

/** The path of segment `n` (1-based) of the set whose first segment is `firstPath`. */
export function segmentPath(firstPath: string, n: number): string {
  checkFirstSegmentName(firstPath);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SEGMENTS) throw new RangeError(`segment number ${n} is outside 1-${MAX_SEGMENTS}`);
  const lower = FIRST_EXTENSION.exec(firstPath)![1] === 'e';
  const stem = firstPath.slice(0, -3);
  let ext: string;
  if (n <= 99) {
    ext = `E${String(n).padStart(2, '0')}`;
  } else {
    const k = n - 100;
    const letter = (i: number): string => String.fromCharCode(65 + i);
    ext = letter(4 + Math.floor(k / (LETTERS * LETTERS))) + letter(Math.floor(k / LETTERS) % LETTERS) + letter(k % LETTERS);
  }
  return stem + (lower ? ext.toLowerCase() : ext);
}

/** Whether `name` (a bare file name) looks like any segment of the set named by `firstPath`. */
export function isSegmentOf(firstPath: string, name: string): boolean {
  const stem = basename(firstPath).slice(0, -3);
  if (!name.startsWith(stem) || name.length !== stem.length + 3) return false;
  const lower = FIRST_EXTENSION.exec(firstPath)?.[1] === 'e';
  return (lower ? /^(e\d\d|[e-z][a-z]{2})$/ : /^(E\d\d|[E-Z][A-Z]{2})$/).test(name.slice(stem.length));
}
