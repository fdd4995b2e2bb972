import { describe, expect, it } from 'vitest';
import type { Block } from '../../controller/rescue/block.ts';
import { end, intersect } from '../../controller/rescue/block.ts';
import { deadHeadLayout } from '../../hil/dead-head.ts';
import { totalBytes } from '../../hil/damage.ts';
import { drive, MiB } from './helpers.ts';

const SS = 512;

function badIn(bad: readonly Block[], from: number, to: number): Block[] {
  return bad.flatMap((b) => intersect(b, { pos: from, size: to - from }) ?? []);
}

describe('weak-head pattern', () => {
  const size = 128 * MiB;
  const params = { weakHead: 2 };
  const d = drive('weak-head', { seed: 3, size, params });
  const layout = deadHeadLayout({ seed: 3, size, sectorSize: SS, params }, 'weakHead');
  const dead = drive('dead-head', { seed: 3, size, params: { deadHead: 2 } });

  it('has the dead-head layout: every bad sector lies in a band of the weak head', () => {
    expect(layout.deadHead).toBe(2);
    expect(layout.zones).toHaveLength(12);
    for (const b of d.damage.bad) {
      const inDeadBand = dead.damage.bad.some((band) => band.pos <= b.pos && end(b) <= end(band));
      expect(inDeadBand, `bad block at ${b.pos}`).toBe(true);
    }
  });

  it('leaves about 30% of each weak band bad, in clusters, and most of the band readable', () => {
    const share = totalBytes(d.damage.bad) / totalBytes(dead.damage.bad);
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    // Every whole band (outer zone: 1024 sectors) has bad clusters and good gaps.
    const zone = layout.zones[0];
    const band = dead.damage.bad.find((b) => b.pos > zone.start * SS && end(b) < zone.stop * SS)!;
    const inside = badIn(d.damage.bad, band.pos, end(band));
    expect(inside.length).toBeGreaterThan(5);
    expect(totalBytes(inside)).toBeLessThan(band.size * 0.6);
    const mean = totalBytes(inside) / inside.length / SS;
    expect(mean).toBeGreaterThan(8);
    expect(mean).toBeLessThan(40);
  });

  it('takes the share and the cluster size as parameters; pct=100 is the dead head', () => {
    const full = drive('weak-head', { seed: 3, size: 16 * MiB, params: { weakHead: 1, pct: 100 } });
    expect(full.damage.bad).toEqual(drive('dead-head', { seed: 3, size: 16 * MiB, params: { deadHead: 1 } }).damage.bad);
    const light = drive('weak-head', { seed: 3, size: 16 * MiB, params: { pct: 5, cluster: 2 } });
    expect(totalBytes(light.damage.bad) / (16 * MiB)).toBeLessThan(0.03);
    expect(() => drive('weak-head', { params: { weakHead: 4 } })).toThrow(/weakHead=4 must be a whole number in \[0, 3\]/);
    expect(() => drive('weak-head', { params: { deadHead: 1 } })).toThrow(/no parameter "deadHead"/);
  });
});
