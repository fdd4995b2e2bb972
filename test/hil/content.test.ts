import { describe, expect, it } from 'vitest';
import { Content, REGION_SIZE, regionKind } from '../../hil/content.ts';
import { MiB } from './helpers.ts';

function bytes(seed: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  new Content(seed).fill(pos, b);
  return b;
}

describe('content', () => {
  it('is the same for the same seed and differs between seeds', () => {
    expect(bytes(5, 0, 4 * MiB).equals(bytes(5, 0, 4 * MiB))).toBe(true);
    expect(bytes(5, 0, 4 * MiB).equals(bytes(6, 0, 4 * MiB))).toBe(false);
  });

  it('gives any range the same bytes as the whole, however it is cut', () => {
    const whole = bytes(9, 0, 2 * MiB);
    for (const [pos, len] of [[0, 1], [1, 4095], [4095, 2], [65_530, 70_000], [123_457, 300_001], [2 * MiB - 3, 3]]) {
      expect(bytes(9, pos, len).equals(whole.subarray(pos, pos + len)), `${pos}+${len}`).toBe(true);
    }
    // A buffer at an odd offset of its memory takes the copying path.
    const odd = Buffer.alloc(8192 + 1).subarray(1);
    new Content(9).fill(4096, odd);
    expect(odd.equals(whole.subarray(4096, 4096 + 8192))).toBe(true);
  });

  it('mixes random, zero and text regions, each looking like what it is', () => {
    const c = new Content(3);
    const seen = { random: 0, zero: 0, text: 0 };
    for (let r = 0; r < 400; r++) seen[regionKind(3, r)]++;
    expect(seen.random).toBeGreaterThan(120);
    expect(seen.zero).toBeGreaterThan(60);
    expect(seen.text).toBeGreaterThan(60);
    const region = Buffer.alloc(REGION_SIZE);
    for (let r = 0; r < 40; r++) {
      c.fill(r * REGION_SIZE, region);
      const kind = c.kindAt(r * REGION_SIZE);
      const printable = region.filter((x) => x === 10 || (x >= 32 && x < 127)).length / region.length;
      const distinct = new Set(region.subarray(0, 4096)).size;
      if (kind === 'zero') expect(region.every((x) => x === 0)).toBe(true);
      if (kind === 'text') expect(printable).toBe(1);
      if (kind === 'random') expect(distinct).toBeGreaterThan(200);
    }
  });

  it('never repeats a text chunk, so misplaced data cannot pass for the right data', () => {
    const c = new Content(4);
    let r = 0;
    while (c.kindAt(r * REGION_SIZE) !== 'text') r++;
    const region = Buffer.alloc(REGION_SIZE);
    c.fill(r * REGION_SIZE, region);
    const chunks = new Set<string>();
    for (let o = 0; o < REGION_SIZE; o += 4096) chunks.add(region.subarray(o, o + 4096).toString('latin1'));
    expect(chunks.size).toBe(REGION_SIZE / 4096);
  });
});
