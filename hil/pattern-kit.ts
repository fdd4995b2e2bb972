// Shared pieces of the damage patterns: their input, parameter reading with defaults, and the
// random placement of small bad clusters that several patterns sprinkle.

import type { Block } from '../controller/rescue/block.ts';
import type { Rng } from './prng.ts';

export type PatternParams = Readonly<Record<string, number>>;

export interface PatternInput {
  readonly seed: number;
  readonly size: number;
  readonly sectorSize: number;
  readonly params: PatternParams;
}

export interface ParamRule {
  readonly min?: number;
  readonly max?: number;
  /** Whole numbers only (counts, sectors). */
  readonly integer?: boolean;
}

/** A parameter's value, or its default; throws a one-line message when out of range. */
export function param(params: PatternParams, name: string, dflt: number, rule: ParamRule = {}): number {
  const v = params[name] ?? dflt;
  const { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = rule;
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new Error(`parameter ${name}=${v} must be ${kind} in [${min}, ${max}]`);
  }
  return v;
}

export function sectorsOf(input: PatternInput): number {
  return input.size / input.sectorSize;
}

/** A run of n sectors from sector s, as a byte block. */
export function sectorBlock(input: PatternInput, s: number, n = 1): Block {
  return { pos: s * input.sectorSize, size: n * input.sectorSize };
}

/** count clusters at uniform positions; each is one sector with probability `single`, else 2..maxCluster. */
export function scatterClusters(rng: Rng, input: PatternInput, count: number, maxCluster: number, single = 0.6): Block[] {
  const sectors = sectorsOf(input);
  const out: Block[] = [];
  for (let i = 0; i < count; i++) {
    const n = maxCluster < 2 || rng.float() < single ? 1 : rng.int(2, maxCluster);
    out.push(sectorBlock(input, rng.int(0, Math.max(0, sectors - n)), Math.min(n, sectors)));
  }
  return out;
}
