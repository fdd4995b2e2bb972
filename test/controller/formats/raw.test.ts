// Raw images: bytes in, the same bytes out, and an existing file is never touched.

import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRawWriter, openRawReader } from '../../../controller/formats/raw.ts';
import { mixedBytes, tempDir, writeInChunks } from './fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('imagebox-raw-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('raw image', () => {
  it('reads back what was written, whole and in pieces', async () => {
    const data = mixedBytes(9_876_543);
    const file = path.join(dir, 'a.img');
    expect(await writeInChunks(await createRawWriter(file), data)).toEqual([file]);
    const r = await openRawReader(file);
    expect(r.size).toBe(data.length);
    expect((await r.read(0, data.length)).equals(data)).toBe(true);
    expect((await r.read(4_194_300, 10)).equals(data.subarray(4_194_300, 4_194_310))).toBe(true);
    expect((await r.read(data.length, 0)).length).toBe(0);
    await expect(r.read(data.length - 1, 2)).rejects.toThrow(RangeError);
    await r.close();
  });

  it('checks() covers every byte once, in order', async () => {
    const data = mixedBytes(9_000_001, 2);
    const file = path.join(dir, 'b.img');
    await writeInChunks(await createRawWriter(file), data);
    const r = await openRawReader(file);
    let next = 0;
    for await (const c of r.checks()) {
      expect(c.ok).toBe(true);
      expect(c.offset).toBe(next);
      next += c.length;
    }
    expect(next).toBe(data.length);
    await r.close();
  });

  it('refuses to overwrite an existing file and leaves it as it was', async () => {
    const file = path.join(dir, 'kept.img');
    await fs.writeFile(file, 'evidence');
    await expect(createRawWriter(file)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await fs.readFile(file, 'utf8')).toBe('evidence');
  });
});
