import { describe, expect, it } from 'vitest';
import { end } from '../../controller/rescue/block.ts';
import { costModel, DEFAULT_COST, formatCostModel } from '../../hil/drive-time.ts';
import { drive, MiB } from './helpers.ts';

const SS = 512;

describe('DriveModel reads', () => {
  it('returns the content where readable, in a buffer of its own', () => {
    const d = drive('healthy', { seed: 9 });
    const r = d.read(8192, 65_536);
    expect(r.ok).toBe(true);
    const want = Buffer.alloc(65_536);
    d.content(8192, want);
    expect(r.data?.equals(want)).toBe(true);
    expect(d.read(8192, 65_536).data).not.toBe(r.data);
  });

  it('rejects misaligned and out-of-range reads with RangeError', () => {
    const d = drive('healthy', { sectorSize: 4096 });
    for (const [pos, len] of [[512, 4096], [0, 512], [0, 0], [-4096, 4096], [4 * MiB, 4096], [4 * MiB - 4096, 8192], [0.5, 4096]]) {
      expect(() => d.read(pos, len), `${pos}+${len}`).toThrow(RangeError);
    }
    expect(d.stats().reads).toBe(0);
  });

  it('fails a read whole when it touches any bad sector, like O_DIRECT', () => {
    const d = drive('scattered', { seed: 2 });
    const bad = d.damage.bad[0];
    expect(d.read(bad.pos, SS).ok).toBe(false);
    expect(d.read(bad.pos + bad.size - SS, SS).ok).toBe(false);
    if (bad.pos >= 4096) {
      expect(d.read(bad.pos - 4096, 4096 + SS).ok).toBe(false);
      expect(d.read(bad.pos - 4096, 4096).ok).toBe(true);
    }
    expect(d.read(end(bad), SS).ok).toBe(d.damage.bad[1]?.pos !== end(bad));
  });

  it('unstable: a sector fails until its Nth try, then reads for good', () => {
    const d = drive('unstable', { seed: 4 });
    for (const u of d.damage.unstable.slice(0, 6)) {
      for (let t = 1; t < u.tries; t++) expect(d.read(u.pos, SS).ok, `try ${t} of ${u.tries}`).toBe(false);
      expect(d.read(u.pos, SS).ok).toBe(true);
      expect(d.read(u.pos, SS).ok).toBe(true);
    }
  });

  it('unstable: every read covering the sector counts as a try, failed or not', () => {
    const d = drive('unstable', { seed: 4, params: { badCount: 0 } });
    const u = d.damage.unstable[0];
    const around = Math.max(0, u.pos - 4096);
    for (let t = 1; t < u.tries; t++) expect(d.read(around, 8192).ok).toBe(false);
    expect(d.read(u.pos, SS).ok).toBe(true);
  });

  it('vanish: stops answering after K failed reads, answers again after a reset', () => {
    const d = drive('vanish', { seed: 5, params: { afterFailures: 3 } });
    const bad = d.damage.bad[0].pos;
    const good = d.damage.bad[0].pos === 0 ? end(d.damage.bad[0]) : 0;
    d.read(bad, SS);
    d.read(bad, SS);
    expect(d.read(good, SS).ok).toBe(true);
    expect(d.vanished).toBe(false);
    d.read(bad, SS);
    expect(d.vanished).toBe(true);
    const gone = d.read(good, SS);
    expect(gone).toMatchObject({ ok: false, hangMs: 0, driveMs: 30_000, timedOut: false });
    d.reset();
    expect(d.vanished).toBe(false);
    expect(d.read(good, SS).ok).toBe(true);
  });

  it('vanish: answers again by itself once recoverAfterMs of drive-time has passed', () => {
    const d = drive('vanish', { seed: 5, params: { afterFailures: 1, recoverAfterMs: 60_000, wallHangMs: 250 } });
    const good = d.damage.bad[0].pos === 0 ? end(d.damage.bad[0]) : 0;
    d.read(d.damage.bad[0].pos, SS);
    const t = d.clock.now();
    expect(d.read(good, SS)).toMatchObject({ ok: false, hangMs: 250 });
    expect(d.read(good, SS).ok).toBe(false);
    expect(d.clock.now() - t).toBe(60_000);
    expect(d.read(good, SS).ok).toBe(true);
  });

  it('hang: a read touching a hang sector takes hangMs of drive-time, shows wallHangMs, then fails', () => {
    const d = drive('hang', { seed: 6, params: { hangMs: 20_000, wallHangMs: 700 } });
    const h = d.damage.hang[0];
    const r = d.read(h.pos, SS);
    expect(r).toMatchObject({ ok: false, hangMs: 700, timedOut: false });
    expect(r.driveMs).toBeGreaterThanOrEqual(20_000);
    expect(r.driveMs).toBeLessThan(20_000 + DEFAULT_COST.seekBaseMs + DEFAULT_COST.fullStrokeMs);
  });

  it('hang: a caller that gives up after timeoutMs is charged only the wait', () => {
    const d = drive('hang', { seed: 6 });
    const h = d.damage.hang[0];
    d.read(h.pos, SS, 1000);
    const again = d.read(h.pos, SS, 1000);
    expect(again).toMatchObject({ ok: false, timedOut: true, driveMs: 1000 });
    const waited = d.read(h.pos, SS, 60_000);
    expect(waited).toMatchObject({ ok: false, timedOut: false });
    expect(waited.driveMs).toBeGreaterThan(30_000);
    expect(d.stats()).toMatchObject({ failedReads: 3, timedOutReads: 2 });
  });
});

describe('drive-time', () => {
  const cost = DEFAULT_COST;
  const transfer = (bytes: number) => bytes / (cost.rateMBps * 1000);

  it('charges sequential reads their transfer time only', () => {
    const d = drive('healthy');
    expect(d.read(0, MiB).driveMs).toBeCloseTo(transfer(MiB), 9);
    expect(d.read(MiB, MiB).driveMs).toBeCloseTo(transfer(MiB), 9);
    expect(d.clock.now()).toBeCloseTo(2 * transfer(MiB), 9);
  });

  it('charges a seek growing with the square root of the distance', () => {
    const d = drive('healthy');
    d.read(0, SS);
    const quarter = d.read(MiB, SS).driveMs - transfer(SS);
    expect(quarter).toBeCloseTo(cost.seekBaseMs + cost.fullStrokeMs * Math.sqrt((MiB - SS) / (4 * MiB)), 9);
    const back = d.read(0, SS).driveMs - transfer(SS);
    expect(back).toBeCloseTo(cost.seekBaseMs + cost.fullStrokeMs * Math.sqrt((MiB + SS) / (4 * MiB)), 9);
  });

  it('averages about 8 ms per random seek', () => {
    const d = drive('healthy', { size: 64 * MiB });
    let sum = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) sum += d.read(((i * 2_654_435_761) % (64 * 2048)) * SS, SS).driveMs;
    expect(sum / n).toBeGreaterThan(7);
    expect(sum / n).toBeLessThan(9);
  });

  it('charges a failed read failedReadMs instead of its transfer', () => {
    const d = drive('scattered', { seed: 2 });
    const bad = d.damage.bad[0];
    const t = d.clock.now();
    d.read(bad.pos, SS);
    expect(d.clock.now() - t).toBeGreaterThanOrEqual(cost.failedReadMs);
    expect(d.clock.now() - t).toBeLessThanOrEqual(cost.failedReadMs + cost.seekBaseMs + cost.fullStrokeMs);
  });

  it('multiplies the transfer time of bytes inside a slow zone by its factor', () => {
    const d = drive('slow', { seed: 3, size: 64 * MiB });
    const s = d.damage.slow[0];
    d.read(s.pos - SS, SS);
    expect(d.read(s.pos, 64 * 1024).driveMs).toBeCloseTo(transfer(64 * 1024) * s.factor, 9);
    const straddle = end(s) - SS;
    d.read(straddle - SS, SS);
    expect(d.read(straddle, 2 * SS).driveMs).toBeCloseTo(transfer(SS) * s.factor + transfer(SS), 9);
  });

  it('takes cost-model terms from the spec and charges resets', () => {
    const d = drive('healthy', { cost: { rateMBps: 100, resetMs: 500 } });
    expect(d.read(0, 1_000_000 - (1_000_000 % SS)).driveMs).toBeCloseTo((1_000_000 - (1_000_000 % SS)) / 100_000, 9);
    const t = d.clock.now();
    d.reset();
    expect(d.clock.now() - t).toBe(500);
    expect(() => drive('healthy', { cost: { rateMBps: 0 } })).toThrow(/rateMBps=0/);
  });

  it('prints the model it charges by', () => {
    expect(formatCostModel(costModel({ failedReadMs: 500 }))).toBe(
      'rate 150 MB/s, seek 1 + 13 x sqrt(distance/size) ms, failed read 500 ms, reset 2000 ms',
    );
  });
});
