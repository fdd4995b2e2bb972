import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../controller/evidence/hash-engine.ts';
import { MultiHasher } from '../../../controller/evidence/hasher.ts';
import { formatPiecewiseLog, PiecewiseHasher } from '../../../controller/evidence/piecewise.ts';

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

describe('piecewise hashes', () => {
  const window = 8192;
  const data = randomBytes(window * 3 + 100);

  it('hashes each window, the last one short', async () => {
    const p = new PiecewiseHasher(window, await createEngine('md5', 'native'));
    for (let off = 0; off < data.length; off += 3000) p.update(data.subarray(off, off + 3000));
    expect(p.finish()).toEqual([
      { offset: 0, length: window, hex: md5(data.subarray(0, window)) },
      { offset: window, length: window, hex: md5(data.subarray(window, 2 * window)) },
      { offset: 2 * window, length: window, hex: md5(data.subarray(2 * window, 3 * window)) },
      { offset: 3 * window, length: 100, hex: md5(data.subarray(3 * window)) },
    ]);
  });

  it('gives no window for an empty stream, and refuses a window that is not whole sectors', async () => {
    const e = await createEngine('md5', 'native');
    expect(new PiecewiseHasher(4096, e).finish()).toEqual([]);
    expect(() => new PiecewiseHasher(1000, e)).toThrow(/4096/);
  });

  it('comes out of the MultiHasher with every algorithm per window, and logs like dcfldd', async () => {
    const h = await MultiHasher.create({ algos: ['md5', 'sha1'], window, slotSize: 4096 });
    await h.update(data);
    const r = await h.finish();
    expect(r.pieces).toHaveLength(4);
    expect(r.pieces![1]).toEqual({
      offset: window,
      length: window,
      hashes: { md5: md5(data.subarray(window, 2 * window)), sha1: sha1(data.subarray(window, 2 * window)) },
    });
    const log = formatPiecewiseLog(r.pieces!, r.digests, ['image disk.img']).split('\n');
    expect(log[0]).toBe('# image disk.img');
    expect(log[1]).toBe('# MD5, 4 windows');
    expect(log[2]).toBe(`0 - 8192: ${md5(data.subarray(0, window))}`);
    expect(log[5]).toBe(`24576 - 24676: ${md5(data.subarray(3 * window))}`);
    expect(log[6]).toBe(`Total (md5): ${md5(data)}`);
    expect(log[7]).toBe('# SHA-1, 4 windows');
    expect(log[12]).toBe(`Total (sha1): ${sha1(data)}`);
  });
});
