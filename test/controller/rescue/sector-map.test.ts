import { describe, expect, it } from 'vitest';
import { STATUSES, type Area, type Status } from '../../../controller/rescue/block.ts';
import { SectorMap } from '../../../controller/rescue/sector-map.ts';
import { rng } from '../../helpers/rng.ts';

function list(m: SectorMap): Array<[number, number, Status]> {
  return [...m.areas()].map((a) => [a.pos, a.size, a.status]);
}


/** The obvious model: one status per byte. */
function naiveAreas(cells: Status[]): Area[] {
  const out: Area[] = [];
  for (let i = 0; i < cells.length; i++) {
    const last = out[out.length - 1];
    if (last && last.status === cells[i]) (last as { size: number }).size++;
    else out.push({ pos: i, size: 1, status: cells[i] });
  }
  return out;
}

describe('SectorMap', () => {
  it('starts as one area of the initial status', () => {
    const m = new SectorMap(1000);
    expect(list(m)).toEqual([[0, 1000, '?']]);
    expect(m.areaCount).toBe(1);
    expect(m.bytes('?')).toBe(1000);
    expect(m.count('?')).toBe(1);
    expect(list(new SectorMap(10, '+'))).toEqual([[0, 10, '+']]);
  });

  it('allows an empty map', () => {
    const m = new SectorMap(0);
    expect(m.areaCount).toBe(0);
    expect(list(m)).toEqual([]);
    expect(m.nextWith(0, '?')).toBeUndefined();
    expect(m.prevWith(0, '?')).toBeUndefined();
    expect(() => m.areaAt(0)).toThrow(RangeError);
  });

  it('splits an area in three and merges it back', () => {
    const m = new SectorMap(1000);
    m.set(100, 50, '+');
    expect(list(m)).toEqual([
      [0, 100, '?'],
      [100, 50, '+'],
      [150, 850, '?'],
    ]);
    expect(m.bytes('+')).toBe(50);
    expect(m.bytes('?')).toBe(950);
    expect(m.count('?')).toBe(2);
    m.set(100, 50, '?');
    expect(list(m)).toEqual([[0, 1000, '?']]);
    expect(m.count()).toBe(1);
  });

  it('merges with equal neighbours on both sides', () => {
    const m = new SectorMap(100);
    m.set(0, 10, '+');
    m.set(20, 10, '+');
    m.set(10, 10, '+');
    expect(list(m)).toEqual([
      [0, 30, '+'],
      [30, 70, '?'],
    ]);
    m.set(30, 70, '+');
    expect(list(m)).toEqual([[0, 100, '+']]);
  });

  it('replaces many areas covered by one range', () => {
    const m = new SectorMap(100);
    for (let i = 0; i < 100; i += 2) m.set(i, 1, '-');
    expect(m.areaCount).toBe(100);
    m.set(5, 90, '/');
    expect(list(m)).toEqual([
      [0, 1, '-'],
      [1, 1, '?'],
      [2, 1, '-'],
      [3, 1, '?'],
      [4, 1, '-'],
      [5, 90, '/'],
      [95, 1, '?'],
      [96, 1, '-'],
      [97, 1, '?'],
      [98, 1, '-'],
      [99, 1, '?'],
    ]);
    expect(m.bytes('-')).toBe(5);
    expect(m.count('-')).toBe(5);
  });

  it('finds the area containing a position', () => {
    const m = new SectorMap(100);
    m.set(40, 20, '*');
    expect(m.areaAt(0)).toEqual({ pos: 0, size: 40, status: '?' });
    expect(m.areaAt(40)).toEqual({ pos: 40, size: 20, status: '*' });
    expect(m.areaAt(59)).toEqual({ pos: 40, size: 20, status: '*' });
    expect(m.areaAt(60)).toEqual({ pos: 60, size: 40, status: '?' });
    expect(() => m.areaAt(100)).toThrow(RangeError);
    expect(() => m.areaAt(-1)).toThrow(RangeError);
  });

  it('clips nextWith and prevWith to the position', () => {
    const m = new SectorMap(100);
    m.set(10, 10, '-');
    m.set(50, 20, '+');
    expect(m.nextWith(0, '-')).toEqual({ pos: 10, size: 10, status: '-' });
    expect(m.nextWith(15, '-')).toEqual({ pos: 15, size: 5, status: '-' });
    expect(m.nextWith(20, '-')).toBeUndefined();
    expect(m.nextWith(15, '+-')).toEqual({ pos: 15, size: 5, status: '-' });
    expect(m.nextWith(20, ['+', '-'])).toEqual({ pos: 50, size: 20, status: '+' });
    expect(m.nextWith(60, '?')).toEqual({ pos: 70, size: 30, status: '?' });
    expect(m.prevWith(100, '-')).toEqual({ pos: 10, size: 10, status: '-' });
    expect(m.prevWith(15, '-')).toEqual({ pos: 10, size: 5, status: '-' });
    expect(m.prevWith(10, '-')).toBeUndefined();
    expect(m.prevWith(60, '?')).toEqual({ pos: 20, size: 30, status: '?' });
    expect(m.prevWith(5, '?')).toEqual({ pos: 0, size: 5, status: '?' });
    expect(m.nextWith(0, '*')).toBeUndefined();
    expect(() => m.nextWith(0, 'x')).toThrow(RangeError);
  });

  it('iterates from the area containing a position', () => {
    const m = new SectorMap(30);
    m.set(10, 10, '+');
    expect([...m.areas(15)].map((a) => a.pos)).toEqual([10, 20]);
    expect([...m.areas(20)].map((a) => a.pos)).toEqual([20]);
    expect([...m.areas(30)]).toEqual([]);
  });

  it('refuses to iterate a map that changes underneath', () => {
    const m = new SectorMap(30);
    m.set(10, 10, '+');
    expect(() => {
      for (const a of m.areas()) m.set(a.pos, 1, '-');
    }).toThrow(/changed/);
  });

  it('refuses ranges outside the map', () => {
    const m = new SectorMap(100);
    expect(() => m.set(90, 20, '+')).toThrow(RangeError);
    expect(() => m.set(-1, 2, '+')).toThrow(RangeError);
    expect(() => m.set(1.5, 2, '+')).toThrow(RangeError);
    expect(() => m.set(0, 2, 'x' as Status)).toThrow(RangeError);
  });

  it('builds from areas, merging equal neighbours', () => {
    const m = SectorMap.fromAreas(30, [
      { pos: 0, size: 10, status: '+' },
      { pos: 10, size: 5, status: '+' },
      { pos: 15, size: 15, status: '-' },
    ]);
    expect(list(m)).toEqual([
      [0, 15, '+'],
      [15, 15, '-'],
    ]);
    expect(m.count('+')).toBe(1);
    expect(m.equals(SectorMap.fromAreas(30, [{ pos: 0, size: 15, status: '+' }, { pos: 15, size: 15, status: '-' }]))).toBe(true);
    expect(SectorMap.fromAreas(0, []).areaCount).toBe(0);
  });

  it('refuses gaps, overlaps and a wrong end in fromAreas', () => {
    expect(() => SectorMap.fromAreas(30, [{ pos: 0, size: 10, status: '+' }, { pos: 12, size: 18, status: '-' }])).toThrow(/gap/);
    expect(() => SectorMap.fromAreas(30, [{ pos: 0, size: 10, status: '+' }, { pos: 8, size: 22, status: '-' }])).toThrow(/overlap/);
    expect(() => SectorMap.fromAreas(30, [{ pos: 5, size: 25, status: '+' }])).toThrow(/expected 0x00000000/);
    expect(() => SectorMap.fromAreas(30, [{ pos: 0, size: 20, status: '+' }])).toThrow(/map size/);
    expect(() => SectorMap.fromAreas(30, [{ pos: 0, size: 40, status: '+' }])).toThrow(/past the end/);
    expect(() => SectorMap.fromAreas(30, [{ pos: 0, size: 0, status: '+' }, { pos: 0, size: 30, status: '+' }])).toThrow(/invalid area/);
  });

  it('clones independently and compares by content', () => {
    const m = new SectorMap(100);
    m.set(10, 10, '-');
    const c = m.clone();
    expect(c.equals(m)).toBe(true);
    c.set(50, 1, '+');
    expect(c.equals(m)).toBe(false);
    expect(list(m)).toEqual([
      [0, 10, '?'],
      [10, 10, '-'],
      [20, 80, '?'],
    ]);
    expect(m.bytes('+')).toBe(0);
    expect(new SectorMap(100).equals(new SectorMap(101))).toBe(false);
  });

  it('agrees with a per-byte model over thousands of random changes', () => {
    const size = 2000;
    const rand = rng(1234);
    const pick = (): Status => STATUSES[Math.floor(rand() * 5)];
    const m = new SectorMap(size);
    const cells: Status[] = new Array<Status>(size).fill('?');
    for (let step = 0; step < 5000; step++) {
      // Mostly short ranges, as a rescue makes, with an occasional wide one.
      const len = rand() < 0.05 ? Math.floor(rand() * size) : Math.floor(rand() * 20);
      const pos = Math.floor(rand() * (size - len + 1));
      const st = pick();
      m.set(pos, len, st);
      cells.fill(st, pos, pos + len);
      if (step % 250 === 0 || step === 4999) {
        const want = naiveAreas(cells);
        expect([...m.areas()]).toEqual(want);
        expect(m.areaCount).toBe(want.length);
        for (const s of STATUSES) {
          expect(m.bytes(s)).toBe(cells.filter((c) => c === s).length);
          expect(m.count(s)).toBe(want.filter((a) => a.status === s).length);
        }
        for (let probe = 0; probe < 50; probe++) {
          const p = Math.floor(rand() * size);
          const set = STATUSES.filter(() => rand() < 0.4);
          const next = want.find((a) => a.pos + a.size > p && set.includes(a.status));
          const wantNext = next && { pos: Math.max(next.pos, p), size: next.pos + next.size - Math.max(next.pos, p), status: next.status };
          expect(m.nextWith(p, set)).toEqual(wantNext);
          const prev = want.findLast((a) => a.pos < p && set.includes(a.status));
          const wantPrev = prev && { pos: prev.pos, size: Math.min(prev.pos + prev.size, p) - prev.pos, status: prev.status };
          expect(m.prevWith(p, set)).toEqual(wantPrev);
          expect(m.areaAt(p)).toEqual(want.find((a) => a.pos <= p && p < a.pos + a.size));
        }
        expect(SectorMap.fromAreas(size, want).equals(m)).toBe(true);
      }
    }
  });

  it('holds 1,000,000 areas in well under 256 MiB', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const used = (): number => {
      gc?.();
      const u = process.memoryUsage();
      return u.heapUsed + u.arrayBuffers;
    };
    const before = used();
    const n = 1_000_000;
    const t0 = performance.now();
    const m = new SectorMap(n * 512);
    for (let i = 0; i < n; i += 2) m.set(i * 512, 512, '-');
    const t1 = performance.now();
    expect(m.areaCount).toBe(n);
    let found = 0;
    for (let p = 0; p < m.size; p += m.size / 1000) if (m.nextWith(p, '-')) found++;
    const t2 = performance.now();
    const grown = used() - before;
    console.log(
      `SectorMap 1M areas: ${(grown / 2 ** 20).toFixed(1)} MiB${gc ? '' : ' (no gc: upper bound)'}, ` +
        `500k set ${(t1 - t0).toFixed(0)} ms, 1000 nextWith ${(t2 - t1).toFixed(1)} ms`,
    );
    expect(found).toBe(1000);
    expect(m.bytes('-')).toBe((n / 2) * 512);
    expect(grown).toBeLessThan(256 * 2 ** 20);
  });
});
