// The copy phase: non-tried areas read a cluster at a time, as ddrescue 1.27 does it.
// Pass 1 goes one way skipping past errors and slow reads, pass 2 the other way over what pass 1
// skipped, pass 3 sweeps whatever is left with no skipping. A failed cluster becomes non-trimmed;
// a skipped stretch stays non-tried.
// The smart strategy reads its first forward pass in smart-copy.ts, and adds one thing here (docs/strategy.md): a short non-tried stretch that ends at a
// failure is not read once a read before it failed; it is left to the trim phase as non-trimmed.
import { alignDown, alignUp, end } from './block.ts';
import { skipBounds } from './options.ts';
import type { RescueIO } from './rescue-io.ts';
import { runwayRead } from './runway.ts';
import { smartFirstPass } from './smart-copy.ts';

export const COPY_PASSES = 3;

const FAILED = '*-/';

export async function copyPhase(io: RescueIO, firstPass = 1, resumePos?: number): Promise<void> {
  for (let pass = firstPass; pass <= COPY_PASSES; pass++) {
    const forward = (pass % 2 === 1) !== io.options.reverse;
    const skipping = pass < COPY_PASSES;
    io.setPhase('?', pass);
    if (!skipping && io.options.deferBoundedGaps) deferAllBoundedGaps(io);
    const startAt = pass === firstPass ? resumePos : undefined;
    if (pass === 1 && forward && io.options.learnBands) await smartFirstPass(io, startAt);
    else await copyPass(io, forward, skipping, startAt);
  }
}

async function copyPass(io: RescueIO, forward: boolean, skipping: boolean, startAt?: number): Promise<void> {
  const { domain, map, sectorSize } = io;
  const cluster = io.options.clusterSectors * sectorSize;
  const bounds = skipBounds(io.options, domain.size, sectorSize);
  let skip = bounds.initial;
  let pos = startAt ?? (forward ? domain.start : domain.end);
  for (;;) {
    const area = forward ? domain.next(map, pos, '?') : domain.prev(map, pos, '?');
    if (!area) return;
    // Clusters keep to a fixed grid, so a resumed run reads the same blocks as an unbroken one.
    const start = forward ? area.pos : Math.max(area.pos, alignUp(end(area), cluster) - cluster);
    const stop = forward ? Math.min(end(area), alignDown(area.pos, cluster) + cluster) : end(area);
    const far = forward ? await runwayRead(io, start, end(area)) : undefined;
    if (far !== undefined) {
      pos = far;
      continue;
    }
    const verdict = await io.read(start, stop - start, '*');
    pos = forward ? stop : start;
    if (verdict === 'ok' || !skipping) {
      skip = bounds.initial;
      continue;
    }
    const past = verdict === 'error' && io.options.deferBoundedGaps ? deferGapAhead(io, pos, forward, cluster) : undefined;
    if (past !== undefined) {
      pos = past;
      continue;
    }
    // Leave the stretch ahead for a later pass, and jump further each time the trouble goes on.
    pos = forward ? alignUp(pos + skip, sectorSize) : alignDown(Math.max(0, pos - skip), sectorSize);
    skip = Math.min(skip * 2, bounds.max);
  }
}

/**
 * Right after a failed read: when the non-tried stretch ahead is at most a cluster and ends at
 * another failure, reading it would most likely fail too. Mark it non-trimmed; return where it ends.
 */
function deferGapAhead(io: RescueIO, pos: number, forward: boolean, maxGap: number): number | undefined {
  const { map, domain } = io;
  const gap = forward ? domain.next(map, pos, '?') : domain.prev(map, pos, '?');
  if (!gap || (forward ? gap.pos !== pos : end(gap) !== pos) || gap.size > maxGap) return undefined;
  const beyond = forward ? end(gap) : gap.pos - 1;
  if (beyond < 0 || beyond >= map.size || !FAILED.includes(map.areaAt(beyond).status)) return undefined;
  // The whole area must be inside the domain: a stretch clipped by it does not end at a failure.
  const whole = map.areaAt(gap.pos);
  if (whole.pos !== gap.pos || end(whole) !== end(gap)) return undefined;
  io.mark(gap.pos, gap.size, '*');
  return forward ? end(gap) : gap.pos;
}

/**
 * Before the sweep: every non-tried stretch of at most a cluster with failures on both sides is
 * left for the trim phase. Longer ones are read: a skip that overshot a bad run leaves good data
 * there, which the sweep reads far more cheaply than the trim and scrape phases could.
 */
function deferAllBoundedGaps(io: RescueIO): void {
  const { map, domain } = io;
  const maxGap = io.options.clusterSectors * io.sectorSize;
  const gaps = [];
  for (let a = domain.next(map, domain.start, '?'); a; a = domain.next(map, end(a), '?')) {
    const whole = map.areaAt(a.pos);
    if (whole.pos !== a.pos || end(whole) !== end(a) || a.size > maxGap || a.pos === 0 || end(a) >= map.size) continue;
    if (FAILED.includes(map.areaAt(a.pos - 1).status) && FAILED.includes(map.areaAt(end(a)).status)) gaps.push(a);
  }
  for (const g of gaps) io.mark(g.pos, g.size, '*');
}
