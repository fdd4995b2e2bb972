// The trim phase: each non-trimmed area is read a sector at a time from its leading edge forwards
// and from its trailing edge backwards, each until a sector fails. What lies between the two
// failures becomes non-scraped without being read.
import { end } from './block.ts';
import type { RescueIO } from './rescue-io.ts';

export async function trimPhase(io: RescueIO): Promise<void> {
  const { domain, map } = io;
  io.setPhase('*', 1);
  let pos = domain.start;
  for (;;) {
    const area = domain.next(map, pos, '*');
    if (!area) return;
    let lead = area.pos;
    while (lead < end(area)) {
      const len = io.sectorLen(lead);
      const verdict = await io.read(lead, len, '-');
      lead += len;
      if (verdict === 'error') break;
    }
    let trail = end(area);
    while (trail > lead) {
      const start = io.sectorBefore(trail);
      const verdict = await io.read(start, trail - start, '-');
      trail = start;
      if (verdict === 'error') break;
    }
    if (trail > lead) io.mark(lead, trail - lead, '/');
    pos = end(area);
  }
}
