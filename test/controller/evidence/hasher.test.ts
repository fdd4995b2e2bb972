import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Algo } from '../../../controller/evidence/algorithms.ts';
import { MultiHasher, type MultiHasherOptions } from '../../../controller/evidence/hasher.ts';

const ALL: Algo[] = ['md5', 'sha1', 'sha256'];

function expected(data: Buffer, algos: readonly Algo[]): Record<string, string> {
  return Object.fromEntries(algos.map((a) => [a, createHash(a).update(data).digest('hex')]));
}

/** Feeds data in uneven chunks, so chunks straddle the hasher's slots. */
async function feed(h: MultiHasher, data: Buffer, step = 10_007): Promise<void> {
  for (let off = 0; off < data.length; off += step) await h.update(data.subarray(off, off + step));
}

describe('MultiHasher', () => {
  const data = randomBytes(300_000);

  const layouts: [string, Partial<MultiHasherOptions<Algo>>][] = [
    ['one worker per algorithm', {}],
    ['md5 inline, the rest in one worker', { inline: ['md5'], workers: [['sha1', 'sha256']] }],
    ['everything inline', { inline: ALL }],
    ['wasm engines', { engine: 'wasm' }],
  ];
  for (const [name, layout] of layouts) {
    it(`matches node:crypto with ${name}, through a small ring that must wait`, async () => {
      const h = await MultiHasher.create({ algos: ALL, slotSize: 4096, slots: 2, ...layout });
      await feed(h, data);
      expect(h.bytes).toBe(data.length);
      expect(await h.digest()).toEqual(expected(data, ALL));
    });
  }

  it('hashes only the chosen algorithms, and the empty stream', async () => {
    const h = await MultiHasher.create({ algos: ['sha256'] });
    expect(await h.digest()).toEqual(expected(Buffer.alloc(0), ['sha256']));
  });

  it('lets the caller reuse its buffer as soon as update resolves', async () => {
    const h = await MultiHasher.create({ algos: ['md5', 'sha256'], slotSize: 4096, slots: 3 });
    const buf = Buffer.alloc(50_000);
    const all: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      buf.fill(i);
      all.push(Buffer.from(buf));
      await h.update(buf);
    }
    expect(await h.digest()).toEqual(expected(Buffer.concat(all), ['md5', 'sha256']));
  });

  it('refuses an algorithm placed twice or an unknown one', async () => {
    await expect(MultiHasher.create({ algos: ['md5'], inline: ['md5'], workers: [['md5']] })).rejects.toThrow(/exactly one/);
    await expect(MultiHasher.create({ algos: ['crc32' as Algo] })).rejects.toThrow(/unknown/);
  });

  it('refuses updates after the digest', async () => {
    const h = await MultiHasher.create({ algos: ['md5'] });
    await h.digest();
    await expect(h.update(Buffer.alloc(1))).rejects.toThrow(/finished/);
  });

  it('fails, and says so, when a worker cannot load its saved state', async () => {
    const bad = [{ algo: 'sha256' as const, bytes: 5, state: Buffer.alloc(7).toString('base64') }];
    const h = await MultiHasher.create({ algos: ['sha256'], engine: 'wasm', resume: bad });
    await expect(h.update(Buffer.alloc(10)).then(() => h.digest())).rejects.toThrow(/hash worker failed/);
    await h.close();
  });
});
