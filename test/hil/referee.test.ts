import { describe, expect, it } from 'vitest';
import { end } from '../../controller/rescue/block.ts';
import { totalBytes } from '../../hil/damage.ts';
import { drive, MiB } from './helpers.ts';

const SS = 512;
const K64 = 65_536;

describe('referee', () => {
  it('records when rescued data first reached 90%, 99% and 100% of the readable bytes', () => {
    const d = drive('healthy');
    const per = K64 / 150_000;
    for (let pos = 0; pos < 4 * MiB; pos += K64) {
      d.read(pos, K64);
      if (pos === 10 * K64) expect(d.stats().driveMsAt90).toBeUndefined();
    }
    const s = d.stats();
    expect(s.driveMsAt90).toBeCloseTo(58 * per, 9);
    expect(s.driveMsAt99).toBeCloseTo(64 * per, 9);
    expect(s.driveMsAt100).toBeCloseTo(64 * per, 9);
    expect(s).toMatchObject({ reads: 64, failedReads: 0, bytesTransferred: 4 * MiB, rescuedBytes: 4 * MiB, readableBytes: 4 * MiB });
  });

  it('counts each sector once however often it is read, and transfers every time', () => {
    const d = drive('healthy');
    d.read(0, 8 * SS);
    d.read(4 * SS, 8 * SS);
    d.read(SS, SS);
    expect(d.stats()).toMatchObject({ rescuedBytes: 12 * SS, bytesTransferred: 17 * SS, reads: 3 });
  });

  it('counts reads on bad sectors and the bad sectors they covered', () => {
    const d = drive('scattered', { params: { count: 1, maxCluster: 1 } });
    const bad = d.damage.bad[0];
    const from = Math.max(0, bad.pos - 2 * SS);
    d.read(from, end(bad) + 2 * SS - from);
    d.read(bad.pos, SS);
    const s = d.stats();
    expect(s).toMatchObject({ reads: 2, failedReads: 2, badReads: 2, badSectorTouches: 2, rescuedBytes: 0 });
    expect(s.readableBytes).toBe(4 * MiB - SS);
  });

  it('reaches 100% only when every readable sector came off the drive', () => {
    const d = drive('scattered', { seed: 3 });
    for (let pos = 0; pos < 4 * MiB; pos += K64) {
      if (d.read(pos, K64).ok) continue;
      for (let s = pos; s < pos + K64; s += SS) d.read(s, SS);
    }
    const s = d.stats();
    expect(s.readableBytes).toBe(4 * MiB - totalBytes(d.damage.bad));
    expect(s.rescuedBytes).toBe(s.readableBytes);
    expect(s.driveMsAt100).toBeDefined();
    expect(s.badSectorTouches).toBe(totalBytes(d.damage.bad) / SS * 2);
  });

  it('counts an unstable sector as recovered once, on its first good read', () => {
    const d = drive('unstable', { seed: 2 });
    const u = d.damage.unstable[0];
    for (let t = 0; t < u.tries + 2; t++) d.read(u.pos, SS);
    expect(d.stats()).toMatchObject({ unstableRecovered: 1, unstableTotal: d.damage.unstable.length, failedReads: u.tries - 1 });
  });

  it('keeps a per-read log only when asked', () => {
    expect(() => drive('healthy').readLog()).toThrow(/logReads/);
    const d = drive('scattered', {}, { logReads: true });
    d.read(0, K64);
    const t1 = d.clock.now();
    d.read(d.damage.bad[0].pos, SS);
    expect(d.readLog()).toEqual([
      { t: 0, pos: 0, len: K64, ok: d.damage.bad[0].pos >= K64 },
      { t: t1, pos: d.damage.bad[0].pos, len: SS, ok: false },
    ]);
  });
});
