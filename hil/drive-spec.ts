// What a drive is made of: a pattern, a seed, a size and a sector size (plus optional pattern
// parameters and cost-model terms). The same spec always builds the same drive.

import type { CostModel } from './drive-time.ts';
import type { PatternParams } from './pattern-kit.ts';
import type { PatternName } from './patterns.ts';
import { checkParamNames, isPatternName, PATTERNS } from './patterns.ts';
import { parseSize } from './sizes.ts';

export type SectorSize = 512 | 4096;

export interface DriveSpec {
  readonly pattern: PatternName;
  readonly seed: number;
  readonly size: number;
  readonly sectorSize: SectorSize;
  readonly params?: PatternParams;
  readonly cost?: Partial<CostModel>;
}

export interface DriveSpecInput {
  readonly seed?: number | string;
  /** Bytes, or a size like 64K, 128M, 1G. */
  readonly size: number | string;
  readonly sectorSize?: number | string;
  readonly params?: Readonly<Record<string, number | string>>;
  readonly cost?: Partial<CostModel>;
}

export function unknownPatternError(name: string): Error {
  return new Error(`unknown drive pattern "${name}" (valid: ${PATTERNS.join(', ')})`);
}

/** Checks and normalises a spec; throws a one-line message naming what is wrong. */
export function parseDriveSpec(pattern: string, input: DriveSpecInput): DriveSpec {
  if (!isPatternName(pattern)) throw unknownPatternError(pattern);
  const seed = Number(input.seed ?? 1);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`invalid seed "${input.seed}": a whole number in [0, 4294967295]`);
  const sectorSize = Number(input.sectorSize ?? 512);
  if (sectorSize !== 512 && sectorSize !== 4096) throw new Error(`invalid sector size "${input.sectorSize}": 512 or 4096`);
  const size = parseSize(input.size);
  if (size % sectorSize !== 0) throw new Error(`size ${size} is not a multiple of the ${sectorSize}-byte sector`);
  const raws = Object.entries(input.params ?? {});
  checkParamNames(pattern, raws.map(([name]) => name));
  const params: Record<string, number> = {};
  for (const [name, raw] of raws) {
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value)) throw new Error(`parameter ${name}="${raw}" is not a number`);
    params[name] = value;
  }
  return { pattern, seed, size, sectorSize, params, ...(input.cost ? { cost: input.cost } : {}) };
}
