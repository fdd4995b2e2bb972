// The smart strategy's last phase (docs/strategy.md, heuristic 7). The probes of the scrape phase
// stop at a grain, and what they leave below it stays non-scraped. In a solid bad area (a dead
// head's band, a damaged zone) that is right: it would not read. But where the probes kept finding
// data between failures (a weak head's bands, sectors that failed while the drive was not
// answering), the leftovers hold data that ddrescue, which reads every sector, rescues. So once
// everything cheaper is done, those leftovers are read as ddrescue reads them: sector by sector.
// The limits (--max-failed-reads, --max-drive-time, --stop-at-pct) apply as in every phase, and
// whatever is not read stays non-scraped.
import type { Area, Status } from './block.ts';
import { end } from './block.ts';
import type { RescueIO } from './rescue-io.ts';
import type { ProbedAreas, ProbeTally } from './scrape-phase.ts';
import { probe } from './scrape-phase.ts';

/**
 * An area's probes found it patchy when at least one read for every this many that failed. A
 * solid area's probes almost all fail (a dead band: none read; a 4 MB zone: 6 in 355), a weak
 * head's bands read about as often as they fail.
 */
const FAILED_PER_READ = 4;
/** A failed read this many times slower than the quickest failed read hung: the drive was not answering. */
const HUNG_FACTOR = 4;
/** Reads of a sector while they hang: a drive that stopped answering may take a while to come back. */
const HUNG_TRIES = 3;
/** Scraping pieces stops after this many in a row held nothing, when fewer than 1 in HELD_SHARE ever did. */
const FRUITLESS_RUN = 16;
const HELD_SHARE = 50;

/** How the mapfile names the finish phase: non-scraped, pass 2 (the scrape phase is pass 1). */
export const FINISH_STATUS = '/';
export const FINISH_PASS = 2;

export async function finishPhase(io: RescueIO, probed: ProbedAreas): Promise<void> {
  io.setPhase(FINISH_STATUS, FINISH_PASS);
  // A drive's damage is mostly of one kind: where most failed probes fell in patchy areas, an
  // area whose few probes all failed is likelier unlucky than solid, and it is read in full too.
  const failed = (list: ProbedAreas) => list.reduce((n, p) => n + p.tally.failed, 0);
  const mostlyPatchy = failed(probed.filter((p) => isPatchy(p.tally))) * 2 > failed(probed);
  const patchy = mostlyPatchy ? probed : probed.filter((p) => isPatchy(p.tally));
  // Cheapest first: one probe for each piece of a solid area that lies next to data.
  if (!mostlyPatchy) {
    for (const { tally } of probed) {
      if (isPatchy(tally)) continue;
      for (const piece of tally.pieces) if (nextToData(io, piece)) await probeOnce(io, piece);
    }
  }
  await scrapePieces(io, patchy.flatMap((p) => p.tally.pieces));
  for (const { area } of probed) await retryLoneSectors(io, area);
}

/**
 * Longest pieces first: the further apart two failures are, the likelier they belong to two bad
 * runs with data between them. Patchy areas can still be solid bad bands with good data between
 * them at the grain's scale (a dead head on a small drive with 4 KiB sectors): when piece after
 * piece holds nothing and hardly any ever did, the rest is left non-scraped.
 */
async function scrapePieces(io: RescueIO, pieces: Area[]): Promise<void> {
  pieces.sort((x, y) => y.size - x.size || x.pos - y.pos);
  let read = 0;
  let held = 0;
  let fruitless = 0;
  for (const piece of pieces) {
    // A piece read before an interruption counts as it did then, so a resumed run stops where an
    // unbroken one would.
    const done = !anyStatus(io, piece, '/');
    if (!done && fruitless >= FRUITLESS_RUN && held * HELD_SHARE < read) return;
    const before = io.totals['+'];
    if (!done) await scrapeRest(io, piece);
    read++;
    if (done ? anyStatus(io, piece, '+') : io.totals['+'] > before) {
      held++;
      fruitless = 0;
    } else {
      fruitless++;
    }
  }
}

function isPatchy(t: ProbeTally): boolean {
  return t.ok > 0 && t.ok * FAILED_PER_READ >= t.failed;
}

/**
 * Whether one failed stretch is all that lies between the piece and data that read: the edge of
 * a solid area, where good data may reach in closer than the probe grain (a halo cluster before
 * a zone, trimmed as the zone's edge).
 */
function nextToData(io: RescueIO, piece: Area): boolean {
  const { map } = io;
  const before = piece.pos > 0 ? map.areaAt(piece.pos - 1) : undefined;
  const after = end(piece) < map.size ? map.areaAt(end(piece)) : undefined;
  const rescuedBeyond = (a: Area | undefined, forward: boolean): boolean => {
    if (!a || a.status !== '-') return false;
    const pos = forward ? end(a) : a.pos - 1;
    return pos >= 0 && pos < map.size && map.areaAt(pos).status === '+';
  };
  return rescuedBeyond(before, false) || rescuedBeyond(after, true);
}

/** The piece as one area of its own: a probe in its middle third, widened when it reads. */
async function probeOnce(io: RescueIO, piece: Area): Promise<void> {
  if (!stillNonScraped(io, piece)) return;
  await probe(io, piece.pos, end(piece), true, { ok: 0, failed: 0, pieces: [] });
}

/** Every sector of the piece not read since, once, forwards: ddrescue's scrape. */
async function scrapeRest(io: RescueIO, piece: Area): Promise<void> {
  for (let p = piece.pos; p < end(piece); p += io.sectorLen(p)) {
    if (io.map.areaAt(p).status === '/') await readPatiently(io, p);
  }
}

/** Read a sector, and again while its reads hang: a failure while the drive was not answering says nothing about the sector. */
async function readPatiently(io: RescueIO, pos: number): Promise<void> {
  for (let i = 0; i < HUNG_TRIES; i++) {
    if ((await io.read(pos, io.sectorLen(pos), '-')) !== 'error') return;
    if (io.lastReadMs <= HUNG_FACTOR * io.quickestFailureMs) return;
  }
}

/**
 * Once the leftovers are read, a lone failed sector between data in a probed area is read once
 * more: the likeliest sector to read on another try (one that failed while the drive was not
 * answering, or a marginal one), and ddrescue's retries read it too. Longer bad stretches are a
 * weak head's bad clusters, which the retry phase already judged.
 */
async function retryLoneSectors(io: RescueIO, area: Area): Promise<void> {
  const { map } = io;
  const from = Math.max(0, area.pos - io.sectorSize);
  const to = Math.min(map.size, end(area) + io.sectorSize);
  const lone: number[] = [];
  for (const a of map.areas(from)) {
    if (a.pos >= to) break;
    if (a.status !== '-' || a.size !== io.sectorLen(a.pos)) continue;
    const left = a.pos === 0 || map.areaAt(a.pos - 1).status === '+';
    const right = end(a) >= map.size || map.areaAt(end(a)).status === '+';
    if (left && right) lone.push(a.pos);
  }
  for (const pos of lone) await readPatiently(io, pos);
}

function anyStatus(io: RescueIO, piece: Area, status: Status): boolean {
  for (const a of io.map.areas(piece.pos)) {
    if (a.pos >= end(piece)) return false;
    if (a.status === status) return true;
  }
  return false;
}

function stillNonScraped(io: RescueIO, piece: Area): boolean {
  const a = io.map.areaAt(piece.pos);
  return a.status === '/' && end(a) >= end(piece);
}
