// Segment names as dc3dd and FTK Imager write them: NAME.001, NAME.002, ... three digits, growing
// to four past 999 (NAME.1000), so a plain `cat NAME.*` in name order is wrong past 999 but a
// numeric sort is not.

import path from 'node:path';
import fs from 'node:fs/promises';

export function segmentName(base: string, n: number): string {
  return `${base}.${String(n).padStart(3, '0')}`;
}

/** NAME.001 (or any NAME.NNN) names its set's base NAME; anything else is taken as the base itself. */
export function segmentBase(p: string): string {
  const m = /^(.*)\.\d{3,}$/.exec(p);
  return m ? m[1] : p;
}

/** The segment numbers present for `base`, ascending. */
export async function listSegments(base: string): Promise<number[]> {
  const dir = path.dirname(base);
  const prefix = `${path.basename(base)}.`;
  const found: number[] = [];
  for (const name of await fs.readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const digits = name.slice(prefix.length);
    // 3 digits, or more without a leading zero: NAME.0001 is not a dc3dd name.
    if ((/^\d{3}$/.test(digits) && digits !== '000') || /^[1-9]\d{3,}$/.test(digits)) found.push(Number(digits));
  }
  return found.sort((a, b) => a - b);
}
