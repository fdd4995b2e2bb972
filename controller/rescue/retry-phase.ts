// The retry phase: passes over the bad sectors, one sector at a time, alternating direction.
// The smart strategy retries only isolated bad stretches (rescued data on both sides), where a
// marginal sector is likely; a sector at the edge of a larger bad area is part of that damage.
// It also stops after a pass that recovered nothing.
import type { Area } from './block.ts';
import { end } from './block.ts';
import type { RescueIO } from './rescue-io.ts';

export async function retryPhase(io: RescueIO, firstPass = 1): Promise<void> {
  const { domain, map } = io;
  for (let pass = firstPass; pass <= io.options.retries; pass++) {
    const forward = (pass % 2 === 1) !== io.options.reverse;
    io.setPhase('-', pass);
    const before = io.totals['+'];
    const targets: Area[] = [];
    for (let a = domain.next(map, domain.start, '-'); a; a = domain.next(map, end(a), '-')) {
      if (!io.options.retryUntilFruitless || isolated(io, a)) targets.push(a);
    }
    if (!forward) targets.reverse();
    for (const area of targets) await retryArea(io, area, forward);
    if (io.options.retryUntilFruitless && io.totals['+'] === before) return;
  }
}

function isolated(io: RescueIO, a: Area): boolean {
  const { map } = io;
  const left = a.pos === 0 || map.areaAt(a.pos - 1).status === '+';
  const right = end(a) >= map.size || map.areaAt(end(a)).status === '+';
  return left && right;
}

async function retryArea(io: RescueIO, area: Area, forward: boolean): Promise<void> {
  if (forward) {
    for (let p = area.pos; p < end(area); p += io.sectorLen(p)) await io.read(p, io.sectorLen(p), '-');
    return;
  }
  for (let stop = end(area); stop > area.pos; ) {
    const p = io.sectorBefore(stop);
    await io.read(p, stop - p, '-');
    stop = p;
  }
}
