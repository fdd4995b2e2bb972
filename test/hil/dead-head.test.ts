import { describe, expect, it } from 'vitest';
import type { Block } from '../../controller/rescue/block.ts';
import { end, intersect } from '../../controller/rescue/block.ts';
import { deadHeadLayout } from '../../hil/dead-head.ts';
import { drive, MiB } from './helpers.ts';

const SS = 512;

function badIn(bad: readonly Block[], from: number, to: number): Block[] {
  return bad.flatMap((b) => intersect(b, { pos: from, size: to - from }) ?? []);
}

describe('dead-head pattern', () => {
  const size = 128 * MiB;
  const d = drive('dead-head', { seed: 3, size, params: { deadHead: 1 } });
  const layout = deadHeadLayout({ seed: 3, size, sectorSize: SS, params: { deadHead: 1 } });

  it('defaults to 4 heads, 12 zones, bands shrinking about 4x from the outside in', () => {
    expect(layout.heads).toBe(4);
    expect(layout.zones).toHaveLength(12);
    const bands = layout.zones.map((z) => z.band);
    for (let i = 1; i < bands.length; i++) expect(bands[i]).toBeLessThanOrEqual(bands[i - 1]);
    expect(bands[0] / bands[bands.length - 1]).toBeGreaterThan(3.5);
    expect(layout.zones[0].start).toBe(0);
    expect(layout.zones[11].stop).toBe(size / SS);
  });

  it('has one bad band of the dead head in every cycle of a zone, periodic', () => {
    for (const [z, zone] of layout.zones.entries()) {
      const inside = badIn(d.damage.bad, zone.start * SS, zone.stop * SS);
      const cycle = zone.band * 4 * SS;
      const slot = z % 2 === 0 ? 1 : 2;
      // Bands at the zone's edges may be cut short or merge with the next zone's; the inner ones are whole.
      const whole = inside.filter((b) => b.pos > zone.start * SS && end(b) < zone.stop * SS);
      expect(whole.length).toBeGreaterThanOrEqual(Math.floor((zone.stop - zone.start) / (zone.band * 4)) - 2);
      for (const b of whole) {
        expect(b.size).toBe(zone.band * SS);
        expect((b.pos - zone.start * SS) % cycle).toBe(slot * zone.band * SS);
      }
    }
  });

  it('is serpentine: the head order reverses in every other zone', () => {
    expect(layout.zones[0].order).toEqual([0, 1, 2, 3]);
    expect(layout.zones[1].order).toEqual([3, 2, 1, 0]);
    expect(layout.zones[2].order).toEqual([0, 1, 2, 3]);
  });

  it('loses about one sector in H', () => {
    const share = d.damage.bad.reduce((n, b) => n + b.size, 0) / size;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.28);
  });

  it('scales its bands down on small drives so each zone still shows the pattern', () => {
    const small = deadHeadLayout({ seed: 1, size: 4 * MiB, sectorSize: SS, params: {} });
    for (const z of small.zones) expect((z.stop - z.start) / (z.band * small.heads)).toBeGreaterThanOrEqual(7);
    const big = deadHeadLayout({ seed: 1, size: 4 * 1024 * MiB, sectorSize: SS, params: {} });
    expect(big.zones[0].band).toBe(1024);
    expect(big.zones[big.zones.length - 1].band).toBe(256);
  });

  it('takes heads, dead head, zones and band sizes as parameters', () => {
    const params = { heads: 2, deadHead: 0, zones: 2, outerBand: 64, innerBand: 32 };
    const two = drive('dead-head', { size: 1 * MiB, params });
    // Zone 0: cycles of 128 sectors, head 0 first; zone 1 (from sector 1024): cycles of 64, head 0 last.
    expect(two.damage.bad[0]).toEqual({ pos: 0, size: 64 * SS });
    expect(two.damage.bad[1]).toEqual({ pos: 128 * SS, size: 64 * SS });
    const zone1 = badIn(two.damage.bad, 1024 * SS, 2048 * SS);
    expect(zone1[0]).toEqual({ pos: (1024 + 32) * SS, size: 32 * SS });
    expect(zone1[1]).toEqual({ pos: (1024 + 96) * SS, size: 32 * SS });
  });
});
