// A drive with one dead head. Consecutive LBAs fill a band of tracks on one surface, then switch
// head; so a dead head leaves a bad band in every cycle of H bands, across the whole drive.
// Tracks get shorter toward the spindle (higher LBAs), so the bands shrink zone by zone, and
// drives lay zones out serpentine: the head order reverses in every other zone.
// A weak head (weakHead) has the same layout, but only a share of each of its bands is bad, in
// clusters: most reads there fail, yet most of its data can still be read sector by sector.

import type { Block } from '../controller/rescue/block.ts';
import type { Damage } from './damage.ts';
import { mergeBlocks, NO_DAMAGE } from './damage.ts';
import type { PatternInput } from './pattern-kit.ts';
import { param, sectorBlock, sectorsOf } from './pattern-kit.ts';
import { hash32, Rng } from './prng.ts';

export interface HeadZone {
  /** First sector of the zone and the sector after its last. */
  readonly start: number;
  readonly stop: number;
  /** Sectors per band in this zone. */
  readonly band: number;
  /** Head number of each band slot in a cycle. */
  readonly order: readonly number[];
}

export interface DeadHeadLayout {
  readonly heads: number;
  readonly deadHead: number;
  readonly zones: readonly HeadZone[];
}

// 512 KiB bands outside, a quarter of that inside: about 1024 and 256 sectors of 512 bytes.
const OUTER_BAND_BYTES = 512 * 1024;

/** headParam names the parameter choosing the failing head: deadHead, or weakHead for weak-head. */
export function deadHeadLayout(input: PatternInput, headParam = 'deadHead'): DeadHeadLayout {
  const p = input.params;
  const sectors = sectorsOf(input);
  const heads = param(p, 'heads', 4, { min: 2, max: 64 });
  const deadHead = param(p, headParam, hash32(input.seed, 0xdead) % heads, { max: heads - 1 });
  const zones = param(p, 'zones', Math.min(12, sectors), { min: 1, max: sectors });
  const zoneSectors = Math.floor(sectors / zones);
  // Small drives get smaller bands, so every zone still holds several cycles to see the pattern in.
  const fitting = Math.max(1, Math.floor(zoneSectors / (heads * 8)));
  const outer = param(p, 'outerBand', Math.min(fitting, Math.max(1, OUTER_BAND_BYTES / input.sectorSize)), { min: 1 });
  const inner = param(p, 'innerBand', Math.max(1, Math.round(outer / 4)), { min: 1 });
  const list: HeadZone[] = [];
  for (let z = 0; z < zones; z++) {
    const band = zones === 1 ? outer : Math.max(1, Math.round(outer + ((inner - outer) * z) / (zones - 1)));
    const order = Array.from({ length: heads }, (_, i) => (z % 2 === 0 ? i : heads - 1 - i));
    list.push({ start: Math.floor((z * sectors) / zones), stop: Math.floor(((z + 1) * sectors) / zones), band, order });
  }
  return { heads, deadHead, zones: list };
}

/** Calls fn(from, to) for every band, in sectors, of the layout's failing head. */
function eachBand(layout: DeadHeadLayout, fn: (from: number, to: number) => void): void {
  for (const zone of layout.zones) {
    const slot = zone.order.indexOf(layout.deadHead);
    const cycle = zone.band * layout.heads;
    for (let c = zone.start; c < zone.stop; c += cycle) {
      const from = c + slot * zone.band;
      const to = Math.min(zone.stop, from + zone.band);
      if (to > from) fn(from, to);
    }
  }
}

export function deadHead(input: PatternInput): Damage {
  const bad: Block[] = [];
  eachBand(deadHeadLayout(input), (from, to) => bad.push(sectorBlock(input, from, to - from)));
  return { ...NO_DAMAGE, bad: mergeBlocks(bad, input.size) };
}

export function weakHead(input: PatternInput): Damage {
  const layout = deadHeadLayout(input, 'weakHead');
  const pct = param(input.params, 'pct', 30, { min: 1, max: 100, integer: false });
  const cluster = param(input.params, 'cluster', 16, { min: 1 });
  // Bad runs of 1..2*cluster-1 sectors (mean cluster) and good gaps of mean cluster*(100-pct)/pct.
  const gap = Math.round((cluster * (100 - pct)) / pct);
  const rng = new Rng(hash32(input.seed, 0x7765616b, 0x68656164));
  const bad: Block[] = [];
  eachBand(layout, (from, to) => {
    for (let s = from + rng.int(0, gap); s < to; ) {
      const n = Math.min(rng.int(1, 2 * cluster - 1), to - s);
      bad.push(sectorBlock(input, s, n));
      s += n + rng.int(0, 2 * gap);
    }
  });
  return { ...NO_DAMAGE, bad: mergeBlocks(bad, input.size) };
}
