import { describe, expect, it } from 'vitest';
import { end } from '../../controller/rescue/block.ts';
import { totalBytes } from '../../hil/damage.ts';
import { generateDamage, PATTERNS } from '../../hil/patterns.ts';
import { drive, expectContiguous, MiB } from './helpers.ts';

const SIZE = 8 * MiB;

describe('damage patterns', () => {
  it.each(PATTERNS)('%s: same seed, same damage and truth; another seed, another drive', (pattern) => {
    const a = drive(pattern, { seed: 11, size: SIZE });
    const b = drive(pattern, { seed: 11, size: SIZE });
    expect(b.damage).toEqual(a.damage);
    expect(b.truth()).toEqual(a.truth());
    if (pattern !== 'healthy') expect(drive(pattern, { seed: 12, size: SIZE }).damage).not.toEqual(a.damage);
  });

  it.each(PATTERNS)('%s: truth covers the drive, with "-" exactly on the sector-aligned bad blocks', (pattern) => {
    for (const sectorSize of [512, 4096]) {
      const d = drive(pattern, { seed: 2, size: SIZE, sectorSize });
      const truth = d.truth();
      expectContiguous(truth, SIZE);
      expect(truth.filter((a) => a.status === '-').map(({ pos, size }) => ({ pos, size }))).toEqual(d.damage.bad);
      for (const b of [...d.damage.bad, ...d.damage.slow]) {
        expect(b.pos % sectorSize).toBe(0);
        expect(b.size % sectorSize).toBe(0);
      }
    }
  });

  it('healthy and slow drives have no bad sectors; the others have some', () => {
    for (const p of PATTERNS) {
      const bad = drive(p, { size: SIZE }).damage.bad.length;
      if (p === 'healthy' || p === 'slow') expect(bad, p).toBe(0);
      else expect(bad, p).toBeGreaterThan(0);
    }
  });

  it('scattered: many small clusters spread over the drive', () => {
    const d = drive('scattered', { seed: 4, size: 64 * MiB }).damage;
    expect(d.bad.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...d.bad.map((b) => b.size))).toBeLessThanOrEqual(64 * 512);
    expect(d.bad[0].pos).toBeLessThan(32 * MiB);
    expect(end(d.bad[d.bad.length - 1])).toBeGreaterThan(32 * MiB);
  });

  it('zone: one big zone of a few percent, with a halo thinning out with distance', () => {
    const size = 64 * MiB;
    const d = drive('zone', { seed: 5, size }).damage;
    const big = d.bad.reduce((a, b) => (b.size > a.size ? b : a));
    expect(big.size / size).toBeGreaterThan(0.025);
    expect(big.size / size).toBeLessThan(0.035);
    const halo = d.bad.filter((b) => b !== big);
    expect(halo.length).toBeGreaterThan(20);
    const distance = (b: { pos: number; size: number }) => (b.pos < big.pos ? big.pos - end(b) : b.pos - end(big));
    const near = halo.filter((b) => distance(b) < big.size).length;
    const far = halo.filter((b) => distance(b) >= big.size && distance(b) < 2 * big.size).length;
    expect(near).toBeGreaterThan(far);
    expect(totalBytes(halo)).toBeLessThan(big.size);
  });

  it('slow: two or three readable zones, each 20-50x slower', () => {
    const d = drive('slow', { seed: 6, size: 64 * MiB }).damage;
    expect(d.slow.length).toBeGreaterThanOrEqual(2);
    expect(d.slow.length).toBeLessThanOrEqual(3);
    for (const [i, s] of d.slow.entries()) {
      expect(s.factor).toBeGreaterThanOrEqual(20);
      expect(s.factor).toBeLessThanOrEqual(50);
      if (i > 0) expect(s.pos).toBeGreaterThanOrEqual(end(d.slow[i - 1]));
    }
    expect(d.bad).toEqual([]);
  });

  it('unstable: sorted sectors needing 2-4 tries, none inside the few bad ones', () => {
    const d = drive('unstable', { seed: 7, size: SIZE }).damage;
    expect(d.unstable.length).toBeGreaterThanOrEqual(8);
    expect(d.bad.length).toBeGreaterThan(0);
    expect(d.bad.length).toBeLessThanOrEqual(3);
    for (const [i, u] of d.unstable.entries()) {
      expect(u.tries).toBeGreaterThanOrEqual(2);
      expect(u.tries).toBeLessThanOrEqual(4);
      if (i > 0) expect(u.pos).toBeGreaterThan(d.unstable[i - 1].pos);
      expect(d.bad.some((b) => b.pos <= u.pos && u.pos < end(b))).toBe(false);
    }
    expect(new Set(d.unstable.map((u) => u.tries)).size).toBeGreaterThan(1);
  });

  it('hang: the hang blocks are bad blocks', () => {
    const d = drive('hang', { seed: 8, size: SIZE }).damage;
    expect(d.hang.length).toBeGreaterThan(0);
    expect(d.hang).toEqual(d.bad);
    expect(d.hangMs).toBe(30_000);
    expect(d.wallHangMs).toBe(2000);
  });

  it('takes parameters, and names the valid ones when given a wrong one', () => {
    expect(drive('scattered', { params: { count: 1, maxCluster: 1 } }).damage.bad).toHaveLength(1);
    expect(drive('vanish', { params: { afterFailures: 7 } }).damage.vanish?.afterFailures).toBe(7);
    expect(() => generateDamage('scattered', 1, SIZE, 512, { heads: 2 })).toThrow(/no parameter "heads" \(valid: count, maxCluster\)/);
    expect(() => drive('dead-head', { params: { deadHead: 4 } })).toThrow(/deadHead=4 must be a whole number in \[0, 3\]/);
  });
});
