// The copy phase: non-tried areas read a cluster at a time, as ddrescue 1.27 does it.
// Pass 1 goes one way skipping past errors and slow reads, pass 2 the other way over what pass 1
// skipped, pass 3 sweeps whatever is left with no skipping. A failed cluster becomes non-trimmed;
// a skipped stretch stays non-tried.
import { alignDown, alignUp, end } from './block.ts';
import { skipBounds } from './options.ts';
import type { RescueIO } from './rescue-io.ts';

export const COPY_PASSES = 3;

export async function copyPhase(io: RescueIO, firstPass = 1, resumePos?: number): Promise<void> {
  for (let pass = firstPass; pass <= COPY_PASSES; pass++) {
    const forward = (pass % 2 === 1) !== io.options.reverse;
    const skipping = pass < COPY_PASSES;
    io.setPhase('?', pass);
    await copyPass(io, forward, skipping, pass === firstPass ? resumePos : undefined);
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
    const chunk = forward
      ? { pos: area.pos, size: Math.min(end(area), alignDown(area.pos, cluster) + cluster) - area.pos }
      : { pos: Math.max(area.pos, alignUp(end(area), cluster) - cluster), size: 0 };
    const size = forward ? chunk.size : end(area) - chunk.pos;
    const verdict = await io.read(chunk.pos, size, '*');
    pos = forward ? chunk.pos + size : chunk.pos;
    if (verdict === 'ok' || !skipping) {
      skip = bounds.initial;
      continue;
    }
    // Leave the stretch ahead for a later pass, and jump further each time the trouble goes on.
    pos = forward ? alignUp(pos + skip, sectorSize) : alignDown(Math.max(0, pos - skip), sectorSize);
    skip = Math.min(skip * 2, bounds.max);
  }
}
