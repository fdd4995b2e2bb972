// The retry phase: N passes over the bad sectors, one sector at a time, alternating direction.
import { end } from './block.ts';
import type { RescueIO } from './rescue-io.ts';

export async function retryPhase(io: RescueIO, firstPass = 1): Promise<void> {
  const { domain, map } = io;
  for (let pass = firstPass; pass <= io.options.retries; pass++) {
    const forward = (pass % 2 === 1) !== io.options.reverse;
    io.setPhase('-', pass);
    if (forward) {
      let pos = domain.start;
      for (let area = domain.next(map, pos, '-'); area; area = domain.next(map, pos, '-')) {
        for (let p = area.pos; p < end(area); p += io.sectorLen(p)) await io.read(p, io.sectorLen(p), '-');
        pos = end(area);
      }
    } else {
      let pos = domain.end;
      for (let area = domain.prev(map, pos, '-'); area; area = domain.prev(map, pos, '-')) {
        for (let stop = end(area); stop > area.pos; ) {
          const p = io.sectorBefore(stop);
          await io.read(p, stop - p, '-');
          stop = p;
        }
        pos = area.pos;
      }
    }
  }
}
