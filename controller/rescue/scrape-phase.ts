// The scrape phase: every non-scraped sector is read once, forwards.
import { end } from './block.ts';
import type { RescueIO } from './rescue-io.ts';

export async function scrapePhase(io: RescueIO): Promise<void> {
  const { domain, map } = io;
  io.setPhase('/', 1);
  let pos = domain.start;
  for (;;) {
    const area = domain.next(map, pos, '/');
    if (!area) return;
    for (let p = area.pos; p < end(area); p += io.sectorLen(p)) await io.read(p, io.sectorLen(p), '-');
    pos = end(area);
  }
}
