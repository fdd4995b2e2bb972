// The scrape phase. 'all' (ddrescue) reads every non-scraped sector once, forwards. 'sample'
// probes each non-scraped area with a budget of failed reads that grows with the log of its size:
// bad areas are mostly solid (a dead head's band, a damaged zone), so reading all of one only
// wears the drive, but good data hides at their edges and between bands, and probes at several
// scales find it. What the probes leave below their grain stays non-scraped here; whether it is
// worth reading is judged from what the probes found, and it is read last (finish-phase.ts).
import type { Area } from './block.ts';
import { end } from './block.ts';
import type { RescueIO } from './rescue-io.ts';

/** Areas this small are read whole: a probe would cost about as much. */
const SMALL_BYTES = 2048;
/** Probing stops at areas this small (or 8 sectors): about one failed read per GRAIN_BYTES/2 of solid bad area. */
const GRAIN_BYTES = 16384;

/** What the probes of one non-scraped area found, and the pieces they left below the grain. */
export interface ProbeTally {
  ok: number;
  failed: number;
  readonly pieces: Area[];
}

/** The probed areas and their tallies, in the order they were probed, for the finish phase. */
export type ProbedAreas = { readonly area: Area; readonly tally: ProbeTally }[];

export async function scrapePhase(io: RescueIO, probed: ProbedAreas = []): Promise<void> {
  const { domain, map } = io;
  const mode = io.options.scrape;
  if (mode === 'none') return;
  io.setPhase('/', 1);
  if (mode === 'sample') return probeSmallestFirst(io, probed);
  let pos = domain.start;
  for (;;) {
    const area = domain.next(map, pos, '/');
    if (!area) return;
    await readEvery(io, area.pos, end(area));
    pos = end(area);
  }
}

/**
 * Smallest areas first: the shorter a stretch between two failures, the likelier they are
 * isolated bad sectors with good data between them, so the more data each failed probe buys.
 */
async function probeSmallestFirst(io: RescueIO, probed: ProbedAreas): Promise<void> {
  const { domain, map } = io;
  // Pieces an interrupted run's probes already left are the finish phase's, not probed again.
  const judged = insideAny(probed.flatMap((p) => p.tally.pieces));
  // What is left of an area the interrupted run was probing counts in that area's tally, as it
  // would have: a tally cut in two judged both halves solid, and their data was left unread.
  const probing = insideAny(probed.map((p) => p.area));
  const areas: Area[] = [];
  for (let a = domain.next(map, domain.start, '/'); a; a = domain.next(map, end(a), '/')) if (judged(a) < 0) areas.push(a);
  areas.sort((x, y) => x.size - y.size || x.pos - y.pos);
  for (const area of areas) {
    // Indexes into the areas recorded before this run: pushing new ones does not move them.
    const k = probing(area);
    if (k >= 0) {
      await probeRest(io, area, probed[k].tally);
      continue;
    }
    const tally: ProbeTally = { ok: 0, failed: 0, pieces: [] };
    probed.push({ area, tally });
    await probe(io, area.pos, end(area), true, tally);
  }
}

/**
 * What an interrupted run's probes left of an area. Where it ends at data, a read outward from a
 * probe that read was cut short (a probe's failed reads bound what it leaves): that read goes on
 * first, as it would have, or the rest of the good stretch falls below the probes' grain.
 */
async function probeRest(io: RescueIO, area: Area, tally: ProbeTally): Promise<void> {
  const { domain, map } = io;
  let from = area.pos;
  let to = end(area);
  if (from > domain.start && map.areaAt(from - 1).status === '+') from = await readOutward(io, from, to, true);
  if (to < domain.end && to > from && map.areaAt(to).status === '+') to = await readOutward(io, to, from, false);
  await probe(io, from, to, true, tally);
}

/** A function giving the index in `blocks` (in any order, not overlapping) of the one an area lies inside, or -1. */
function insideAny(blocks: readonly Area[]): (a: Area) => number {
  const order = blocks.map((_, i) => i).sort((x, y) => blocks[x].pos - blocks[y].pos);
  return (a) => {
    let lo = 0;
    let hi = order.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[order[mid]].pos <= a.pos) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && end(blocks[order[found]]) >= end(a) ? order[found] : -1;
  };
}

export async function readEvery(io: RescueIO, from: number, to: number): Promise<void> {
  for (let p = from; p < to; p += io.sectorLen(p)) await io.read(p, io.sectorLen(p), '-');
}

/**
 * Probe [from, to): one read in the middle third. A probe that fails splits the area and both
 * sides are probed the same way, down to areas of GRAIN_BYTES; a probe that reads is widened to
 * the good stretch around it, and what is left on each side is probed in turn. A solid bad area of
 * n bytes thus costs about 2n/GRAIN_BYTES failed reads instead of n/sector, and good stretches down
 * to GRAIN_BYTES inside it are still found. The tally counts the probes and keeps the pieces left.
 */
export async function probe(io: RescueIO, from: number, to: number, fine: boolean, tally: ProbeTally): Promise<void> {
  const ss = io.sectorSize;
  const sectors = Math.ceil((to - from) / ss);
  if (to <= from) return;
  // Below the grain, only next to data that read: a failed probe's leftovers are likely bad too.
  if (!fine && to - from < Math.max(GRAIN_BYTES, 8 * ss)) {
    tally.pieces.push({ pos: from, size: to - from, status: '/' });
    return;
  }
  if (fine && to - from <= Math.max(ss, SMALL_BYTES)) return readEvery(io, from, to);
  // A jittered place: probes at fixed fractions alias with periodic damage (a head's bands).
  const at = from + Math.floor((sectors * (1 + jitter(from))) / 3) * ss;
  const len = io.sectorLen(at);
  if ((await io.read(at, len, '-')) === 'error') {
    tally.failed++;
    await probe(io, from, at, false, tally);
    await probe(io, at + len, to, false, tally);
    return;
  }
  tally.ok++;
  const after = await readOutward(io, at + len, to, true);
  const before = await readOutward(io, at, from, false);
  await probe(io, from, before, true, tally);
  await probe(io, after, to, true, tally);
}

/** A fraction in [0, 1) that depends only on where the area is, so a resumed run probes the same sectors. */
function jitter(pos: number): number {
  let h = Math.floor(pos / 512) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** Read sectors from pos towards limit until one fails; returns where the untouched part begins (or ends). */
async function readOutward(io: RescueIO, pos: number, limit: number, forward: boolean): Promise<number> {
  while (forward ? pos < limit : pos > limit) {
    const at = forward ? pos : io.sectorBefore(pos);
    const len = forward ? io.sectorLen(at) : pos - at;
    const verdict = await io.read(at, len, '-');
    pos = forward ? at + len : at;
    if (verdict === 'error') break;
  }
  return pos;
}
