// The named damage patterns. Each is a pure function of (seed, size, sector size, parameters);
// defaults scale with the drive, so "scattered" means the same thing at 4 MiB and at 1 TiB.

import type { Block } from '../controller/rescue/block.ts';
import type { Damage, SlowBlock, UnstableSector } from './damage.ts';
import { firstEndingAfter, mergeBlocks, NO_DAMAGE } from './damage.ts';
import { deadHead, weakHead } from './dead-head.ts';
import type { PatternInput, PatternParams } from './pattern-kit.ts';
import { param, scatterClusters, sectorBlock, sectorsOf } from './pattern-kit.ts';
import { hash32, Rng } from './prng.ts';

// New patterns go at the end: rngFor() derives each pattern's stream from its index here.
export const PATTERNS = ['healthy', 'scattered', 'dead-head', 'zone', 'slow', 'unstable', 'vanish', 'hang', 'weak-head'] as const;
export type PatternName = (typeof PATTERNS)[number];

export interface PatternDef {
  readonly summary: string;
  /** Parameter name -> what it means (and its default). */
  readonly params: Readonly<Record<string, string>>;
  readonly generate: (input: PatternInput) => Damage;
}

export function isPatternName(name: string): name is PatternName {
  return (PATTERNS as readonly string[]).includes(name);
}

/** Each pattern draws from its own stream, so adding a draw to one never shifts another. */
function rngFor(input: PatternInput, pattern: PatternName): Rng {
  return new Rng(hash32(input.seed, PATTERNS.indexOf(pattern) + 1, 0x70617474));
}

function scattered(input: PatternInput): Damage {
  const count = param(input.params, 'count', Math.max(8, Math.round(sectorsOf(input) / 20000)), { min: 1 });
  const maxCluster = param(input.params, 'maxCluster', 32, { min: 1 });
  const bad = scatterClusters(rngFor(input, 'scattered'), input, count, maxCluster);
  return { ...NO_DAMAGE, bad: mergeBlocks(bad, input.size) };
}

function zone(input: PatternInput): Damage {
  const rng = rngFor(input, 'zone');
  const sectors = sectorsOf(input);
  const pct = param(input.params, 'pct', 3, { min: 0.001, max: 50, integer: false });
  const zoneSectors = Math.max(1, Math.round((sectors * pct) / 100));
  const start = rng.int(Math.floor(sectors * 0.05), Math.max(0, Math.floor(sectors * 0.9) - zoneSectors));
  const haloCount = param(input.params, 'haloCount', Math.max(8, Math.round(zoneSectors / 64)));
  // Distances are exponential, so the halo thins out with distance from the zone's edges.
  const haloScale = param(input.params, 'haloScale', zoneSectors, { min: 1 });
  const bad: Block[] = [sectorBlock(input, start, zoneSectors)];
  for (let i = 0; i < haloCount; i++) {
    const d = Math.floor(-haloScale * Math.log(1 - rng.float()));
    const n = rng.int(1, 4);
    const s = rng.float() < 0.5 ? start - d - n : start + zoneSectors + d;
    if (s >= 0 && s + n <= sectors) bad.push(sectorBlock(input, s, n));
  }
  return { ...NO_DAMAGE, bad: mergeBlocks(bad, input.size) };
}

function slow(input: PatternInput): Damage {
  const rng = rngFor(input, 'slow');
  const sectors = sectorsOf(input);
  const count = param(input.params, 'count', rng.int(2, 3), { min: 1, max: 64 });
  const pct = param(input.params, 'pct', 3, { min: 0.001, max: 100 / count, integer: false });
  const fixedFactor = input.params.factor === undefined ? undefined : param(input.params, 'factor', 1, { min: 1, integer: false });
  const slowSectors = Math.max(1, Math.round((sectors * pct) / 100));
  const out: SlowBlock[] = [];
  // One zone per equal slice of the drive keeps them apart and sorted.
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * sectors) / count);
    const room = Math.floor(((i + 1) * sectors) / count) - from - slowSectors;
    const s = from + rng.int(0, Math.max(0, room));
    const factor = fixedFactor ?? rng.int(20, 50);
    out.push({ ...sectorBlock(input, s, Math.min(slowSectors, sectors - s)), factor });
  }
  return { ...NO_DAMAGE, slow: out };
}

function unstable(input: PatternInput): Damage {
  const rng = rngFor(input, 'unstable');
  const sectors = sectorsOf(input);
  const count = param(input.params, 'count', Math.max(8, Math.round(sectors / 4000)), { min: 0, max: sectors });
  const maxTries = param(input.params, 'maxTries', 4, { min: 2, max: 1000 });
  const badCount = param(input.params, 'badCount', 3);
  const bad = mergeBlocks(scatterClusters(rng, input, badCount, 1), input.size);
  const chosen = new Map<number, number>();
  for (let guard = 0; chosen.size < count && guard < count * 20; guard++) {
    const pos = rng.int(0, sectors - 1) * input.sectorSize;
    const i = firstEndingAfter(bad, pos);
    const inBad = i < bad.length && bad[i].pos <= pos;
    if (!inBad && !chosen.has(pos)) chosen.set(pos, rng.int(2, maxTries));
  }
  const list: UnstableSector[] = [...chosen].map(([pos, tries]) => ({ pos, tries })).sort((a, b) => a.pos - b.pos);
  return { ...NO_DAMAGE, bad, unstable: list };
}

function vanish(input: PatternInput): Damage {
  const p = input.params;
  const badCount = param(p, 'badCount', 6, { min: 1 });
  const bad = mergeBlocks(scatterClusters(rngFor(input, 'vanish'), input, badCount, 8), input.size);
  return {
    ...NO_DAMAGE,
    bad,
    vanish: {
      afterFailures: param(p, 'afterFailures', 3, { min: 1 }),
      hangMs: param(p, 'hangMs', 30_000, { integer: false }),
      wallHangMs: param(p, 'wallHangMs', 0, { integer: false }),
      recoverAfterMs: param(p, 'recoverAfterMs', 60_000, { integer: false }),
    },
  };
}

function hang(input: PatternInput): Damage {
  const p = input.params;
  const count = param(p, 'count', 4, { min: 1 });
  const hangs = mergeBlocks(scatterClusters(rngFor(input, 'hang'), input, count, 4), input.size);
  return {
    ...NO_DAMAGE,
    bad: hangs,
    hang: hangs,
    hangMs: param(p, 'hangMs', 30_000, { integer: false }),
    wallHangMs: param(p, 'wallHangMs', 2000, { integer: false }),
  };
}

export const PATTERN_DEFS: Readonly<Record<PatternName, PatternDef>> = {
  healthy: { summary: 'no damage', params: {}, generate: () => NO_DAMAGE },
  scattered: {
    summary: 'scattered bad sectors and small clusters',
    params: { count: 'clusters (default sectors/20000, at least 8)', maxCluster: 'largest cluster in sectors (32)' },
    generate: scattered,
  },
  'dead-head': {
    summary: 'one dead head: a bad band in every cycle of head bands, shrinking inward, serpentine zones',
    params: {
      heads: 'heads (4)',
      deadHead: 'the dead head, 0-based (from the seed)',
      zones: 'zones (12)',
      outerBand: 'band of the first zone in sectors (512 KiB worth, less on small drives)',
      innerBand: 'band of the last zone in sectors (outerBand/4)',
    },
    generate: deadHead,
  },
  'weak-head': {
    summary: 'one weak head: the dead-head layout, but only a share of each of its bands is bad, in clusters',
    params: {
      heads: 'heads (4)',
      weakHead: 'the weak head, 0-based (from the seed)',
      zones: 'zones (12)',
      outerBand: 'band of the first zone in sectors (512 KiB worth, less on small drives)',
      innerBand: 'band of the last zone in sectors (outerBand/4)',
      pct: 'share of each weak band that is bad, in % (30)',
      cluster: 'mean bad cluster in sectors (16)',
    },
    generate: weakHead,
  },
  zone: {
    summary: 'one large damaged zone with a thinning halo of bad sectors',
    params: {
      pct: 'zone size in % of the drive (3)',
      haloCount: 'halo clusters (zone sectors/64, at least 8)',
      haloScale: 'mean halo distance from the zone in sectors (the zone size)',
    },
    generate: zone,
  },
  slow: {
    summary: 'slow but readable zones, no bad sectors',
    params: { count: 'zones (2-3)', pct: 'zone size in % of the drive (3)', factor: 'cost factor (20-50 per zone)' },
    generate: slow,
  },
  unstable: {
    summary: 'sectors that read only on their Nth try, plus a few bad ones',
    params: { count: 'unstable sectors (sectors/4000, at least 8)', maxTries: 'largest N (4)', badCount: 'bad sectors (3)' },
    generate: unstable,
  },
  vanish: {
    summary: 'a few bad sectors; the drive stops answering after K failed reads until reset',
    params: {
      badCount: 'bad clusters (6)',
      afterFailures: 'K (3)',
      hangMs: 'drive-time of each read while gone (30000)',
      wallHangMs: 'wall time of each read while gone (0)',
      recoverAfterMs: 'drive-time after which it answers again without a reset (60000)',
    },
    generate: vanish,
  },
  hang: {
    summary: 'a few bad sectors whose reads hang before failing',
    params: { count: 'hang clusters (4)', hangMs: 'drive-time of a hung read (30000)', wallHangMs: 'wall time of a hung read (2000)' },
    generate: hang,
  },
};

/** Throws a one-line message naming the valid parameters when a name is not one of the pattern's. */
export function checkParamNames(pattern: PatternName, names: readonly string[]): void {
  const valid = Object.keys(PATTERN_DEFS[pattern].params);
  for (const name of names) {
    if (!valid.includes(name)) {
      throw new Error(`pattern ${pattern} has no parameter "${name}" (valid: ${valid.length ? valid.join(', ') : 'none'})`);
    }
  }
}

export function generateDamage(pattern: PatternName, seed: number, size: number, sectorSize: number, params: PatternParams = {}): Damage {
  checkParamNames(pattern, Object.keys(params));
  return PATTERN_DEFS[pattern].generate({ seed, size, sectorSize, params });
}
