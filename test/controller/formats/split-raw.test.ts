// Split raw images: dc3dd/FTK segment names, reads across segment boundaries, and a broken set is
// refused naming the segment at fault.

import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageLayoutError } from '../../../controller/formats/image-error.ts';
import { segmentBase, segmentName } from '../../../controller/formats/split-raw-names.ts';
import { createSplitRawWriter, openSplitRawReader } from '../../../controller/formats/split-raw.ts';
import { mixedBytes, tempDir, writeInChunks } from './fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('imagebox-split-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function sizesOf(files: string[]): Promise<number[]> {
  return Promise.all(files.map(async (f) => (await fs.stat(f)).size));
}

describe('segment names', () => {
  it('uses three digits, growing to four past 999', () => {
    expect(segmentName('/x/disk', 1)).toBe('/x/disk.001');
    expect(segmentName('/x/disk', 42)).toBe('/x/disk.042');
    expect(segmentName('/x/disk', 999)).toBe('/x/disk.999');
    expect(segmentName('/x/disk', 1000)).toBe('/x/disk.1000');
    expect(segmentBase('/x/disk.img.001')).toBe('/x/disk.img');
    expect(segmentBase('/x/disk.img.1000')).toBe('/x/disk.img');
    expect(segmentBase('/x/disk.img')).toBe('/x/disk.img');
  });
});

describe('split raw image', () => {
  it('cuts segments of segmentSize with a shorter last one, and reads across their boundaries', async () => {
    const data = mixedBytes(35_123, 4);
    const base = path.join(dir, 'a.img');
    const files = await writeInChunks(await createSplitRawWriter(base, { segmentSize: 10_000 }), data);
    expect(files).toEqual(['001', '002', '003', '004'].map((n) => `${base}.${n}`));
    expect(await sizesOf(files)).toEqual([10_000, 10_000, 10_000, 5_123]);

    const r = await openSplitRawReader(`${base}.001`);
    expect(r.size).toBe(data.length);
    expect((await r.read(0, data.length)).equals(data)).toBe(true);
    for (const [off, len] of [[9_990, 20], [9_999, 10_002], [19_999, 1], [29_000, 6_123], [5, 0]]) {
      expect((await r.read(off, len)).equals(data.subarray(off, off + len)), `${off}+${len}`).toBe(true);
    }
    await expect(r.read(35_000, 124)).rejects.toThrow(RangeError);
    let next = 0;
    for await (const c of r.checks()) {
      expect(c).toMatchObject({ ok: true, offset: next });
      next += c.length;
    }
    expect(next).toBe(data.length);
    await r.close();
  });

  it('leaves no empty tail segment when the size is a multiple, and makes .001 for an empty image', async () => {
    const exact = await writeInChunks(await createSplitRawWriter(path.join(dir, 'b.img'), { segmentSize: 1000 }), mixedBytes(3000));
    expect(await sizesOf(exact)).toEqual([1000, 1000, 1000]);
    const empty = await writeInChunks(await createSplitRawWriter(path.join(dir, 'c.img'), { segmentSize: 1000 }), Buffer.alloc(0));
    expect(empty).toEqual([path.join(dir, 'c.img.001')]);
    expect((await openSplitRawReader(path.join(dir, 'c.img'))).size).toBe(0);
  });

  it('names the thousandth segment NAME.1000 and reads it back', async () => {
    const data = mixedBytes(1003, 5);
    const base = path.join(dir, 'many.img');
    const files = await writeInChunks(await createSplitRawWriter(base, { segmentSize: 1 }), data, [1003]);
    expect(files.length).toBe(1003);
    expect(files[998]).toBe(`${base}.999`);
    expect(files[999]).toBe(`${base}.1000`);
    const r = await openSplitRawReader(base);
    expect((await r.read(0, 1003)).equals(data)).toBe(true);
    await r.close();
  });

  it('names a missing segment', async () => {
    const base = path.join(dir, 'gap.img');
    await writeInChunks(await createSplitRawWriter(base, { segmentSize: 1000 }), mixedBytes(3500));
    await fs.rm(`${base}.002`);
    const e = await openSplitRawReader(base).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImageLayoutError);
    expect((e as ImageLayoutError).where).toBe(`${base}.002`);
    expect((e as Error).message).toMatch(/missing/);
  });

  it('names a short segment', async () => {
    const base = path.join(dir, 'short.img');
    await writeInChunks(await createSplitRawWriter(base, { segmentSize: 1000 }), mixedBytes(3500));
    await fs.truncate(`${base}.002`, 999);
    const e = await openSplitRawReader(base).catch((x: unknown) => x);
    expect((e as ImageLayoutError).where).toBe(`${base}.002`);
    expect((e as Error).message).toMatch(/999 bytes, expected 1000 \(short segment\)/);
  });

  it('names a missing last segment when the image size is known', async () => {
    const base = path.join(dir, 'tail.img');
    await writeInChunks(await createSplitRawWriter(base, { segmentSize: 1000 }), mixedBytes(3000));
    await fs.rm(`${base}.003`);
    expect((await openSplitRawReader(base)).size).toBe(2000);
    const e = await openSplitRawReader(base, { expectedSize: 3000 }).catch((x: unknown) => x);
    expect((e as ImageLayoutError).where).toBe(`${base}.003`);
  });

  it('refuses to start over an existing set, even one whose first segment is gone', async () => {
    const base = path.join(dir, 'old.img');
    await fs.writeFile(`${base}.002`, 'old evidence');
    await expect(createSplitRawWriter(base, { segmentSize: 1000 })).rejects.toThrow(/old\.img\.002 already exists/);
    expect(await fs.readFile(`${base}.002`, 'utf8')).toBe('old evidence');
    await expect(fs.stat(`${base}.001`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
