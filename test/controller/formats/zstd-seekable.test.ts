// Seekable zstd images: a plain .zst to the zstd CLI, a random-access image to our reader, and any
// damaged frame or seek table entry named with its bytes.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageLayoutError } from '../../../controller/formats/image-error.ts';
import type { ImageCheck } from '../../../controller/formats/types.ts';
import { xxh64Low32 } from '../../../controller/formats/xxh64.ts';
import { FOOTER_SIZE, parseFooter, parseSeekTable } from '../../../controller/formats/zstd-seek-table.ts';
import { openZstdSeekableReader } from '../../../controller/formats/zstd-seekable-reader.ts';
import { createZstdSeekableWriter } from '../../../controller/formats/zstd-seekable.ts';
import type { ZstdSeekableOptions } from '../../../controller/formats/zstd-seekable.ts';
import { hasZstd, mixedBytes, tempDir, writeInChunks } from './fixtures.ts';

const FRAME = 10_007;
let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('imagebox-zst-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function image(data: Buffer, opts: ZstdSeekableOptions = { frameSize: FRAME, threads: 2 }): Promise<string> {
  const file = path.join(dir, `i${n++}.zst`);
  expect(await writeInChunks(await createZstdSeekableWriter(file, opts), data)).toEqual([file]);
  return file;
}

async function allChecks(file: string): Promise<ImageCheck[]> {
  const r = await openZstdSeekableReader(file);
  const out: ImageCheck[] = [];
  for await (const c of r.checks()) out.push(c);
  await r.close();
  return out;
}

/** The seek table as the file holds it, parsed apart from the reader. */
async function tableOf(file: string) {
  const bytes = await fs.readFile(file);
  const footer = parseFooter(bytes.subarray(bytes.length - FOOTER_SIZE));
  const start = bytes.length - footer.tableSize;
  const table = parseSeekTable(bytes.subarray(start), footer);
  return { bytes, footer, start, entries: Array.from({ length: table.frames }, (_, i) => table.entry(i)) };
}

function zstd(args: string[]) {
  return spawnSync('zstd', args, { maxBuffer: 1 << 30 });
}

describe('seekable zstd writer and reader', () => {
  it('round-trips sizes around and between frame boundaries', async () => {
    for (const size of [0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME + 4_321]) {
      const data = mixedBytes(size, size);
      const r = await openZstdSeekableReader(await image(data));
      expect(r.size).toBe(size);
      expect((await r.read(0, size)).equals(data), `size ${size}`).toBe(true);
      await r.close();
    }
  });

  it('keeps frames in order with many in flight, at every level', async () => {
    const data = mixedBytes(250_001, 9);
    for (const compression of ['none', 'fast', 'best'] as const) {
      const file = await image(data, { frameSize: 4_099, threads: 3, compression });
      const r = await openZstdSeekableReader(file);
      expect((await r.read(0, data.length)).equals(data), compression).toBe(true);
      await r.close();
    }
  });

  it('writes a seek table with one exact entry per frame, matching each frame\'s own checksum', async () => {
    const data = mixedBytes(5 * FRAME + 17, 11);
    const { bytes, footer, start, entries } = await tableOf(await image(data));
    expect(footer.checksums).toBe(true);
    expect(entries.length).toBe(6);
    let at = 0;
    entries.forEach((e, i) => {
      const plain = data.subarray(i * FRAME, Math.min(data.length, (i + 1) * FRAME));
      expect(e.decompressedSize).toBe(plain.length);
      expect(e.checksum).toBe(xxh64Low32(plain));
      expect(bytes.readUInt32LE(at)).toBe(0xfd2fb528);
      expect(bytes.readUInt32LE(at + e.compressedSize - 4)).toBe(e.checksum);
      at += e.compressedSize;
    });
    expect(at).toBe(start);
    expect(bytes.readUInt32LE(start)).toBe(0x184d2a5e);
    expect(bytes.readUInt32LE(start + 4)).toBe(6 * 12 + 9);
    expect(bytes.readUInt32LE(bytes.length - 4)).toBe(0x8f92eab1);
  });

  it('reads any range, across frame boundaries, and refuses ranges outside the image', async () => {
    const data = mixedBytes(7 * FRAME + 999, 12);
    const r = await openZstdSeekableReader(await image(data));
    let s = 42;
    const rand = (m: number): number => (s = (Math.imul(s, 48271) + 1) >>> 0) % m;
    const cases: [number, number][] = [[FRAME - 1, 2], [FRAME, FRAME], [0, 1], [data.length - 1, 1], [3 * FRAME - 5, 3 * FRAME], [data.length, 0]];
    for (let k = 0; k < 200; k++) {
      const off = rand(data.length);
      cases.push([off, rand(Math.min(3 * FRAME, data.length - off) + 1)]);
    }
    for (const [off, len] of cases) {
      expect((await r.read(off, len)).equals(data.subarray(off, off + len)), `${off}+${len}`).toBe(true);
    }
    await expect(r.read(data.length - 10, 11)).rejects.toThrow(RangeError);
    await expect(r.read(-1, 1)).rejects.toThrow(RangeError);
    await r.close();
  });

  it('passes its own checks frame by frame, covering the image once', async () => {
    const data = mixedBytes(4 * FRAME + 3, 13);
    const checks = await allChecks(await image(data));
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.map((c) => [c.offset, c.length])).toEqual([[0, FRAME], [FRAME, FRAME], [2 * FRAME, FRAME], [3 * FRAME, FRAME], [4 * FRAME, 3]]);
  });

  it('refuses to overwrite an existing file and leaves it as it was', async () => {
    const file = path.join(dir, 'kept.zst');
    await fs.writeFile(file, 'evidence');
    await expect(createZstdSeekableWriter(file)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await fs.readFile(file, 'utf8')).toBe('evidence');
  });

  it('names the frame and its bytes when a byte in it is flipped', async () => {
    const data = mixedBytes(6 * FRAME + 5, 14);
    const file = await image(data);
    const { entries } = await tableOf(file);
    const first = entries[0].compressedSize + entries[1].compressedSize + entries[2].compressedSize;
    const last = first + entries[3].compressedSize - 1;
    const bytes = await fs.readFile(file);
    bytes[first + Math.floor(entries[3].compressedSize / 2)] ^= 0x10;
    await fs.writeFile(file, bytes);

    const bad = (await allChecks(file)).filter((c) => !c.ok);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ offset: 3 * FRAME, length: FRAME, where: `${file} frame 3 (bytes ${first}-${last})` });
    if (hasZstd) expect(zstd(['-t', '-q', file]).status).not.toBe(0);

    const r = await openZstdSeekableReader(file);
    expect((await r.read(2 * FRAME, FRAME)).equals(data.subarray(2 * FRAME, 3 * FRAME))).toBe(true);
    await expect(r.read(3 * FRAME + 10, 1)).rejects.toThrow(/frame 3/);
    await r.close();
  });

  it('names the seek table entry whose checksum or size was flipped', async () => {
    const data = mixedBytes(3 * FRAME + 5, 15);
    for (const [field, flip] of [['checksum', 8], ['decompressed size', 4]] as const) {
      const file = await image(data);
      const { bytes, start } = await tableOf(file);
      const entry = start + 8 + 1 * 12;
      bytes[entry + flip] ^= 0x01;
      await fs.writeFile(file, bytes);
      const bad = (await allChecks(file)).filter((c) => !c.ok);
      expect(bad, field).toHaveLength(1);
      expect(bad[0], field).toMatchObject({ where: `${file} seek table entry 1 (bytes ${entry}-${entry + 11})` });
    }
  });

  it('refuses to open a file whose seek table does not add up, naming the table', async () => {
    const data = mixedBytes(3 * FRAME + 5, 16);
    const cases: [string, (start: number, len: number) => number, RegExp][] = [
      ['compressed size', (start) => start + 8 + 12, /frame sizes add up/],
      ['frame count', (_s, len) => len - 9, /frames|seek table/],
      ['skippable magic', (start) => start, /skippable magic/],
      ['seekable magic', (_s, len) => len - 1, /no seek table/],
    ];
    for (const [field, at, message] of cases) {
      const file = await image(data);
      const { bytes, start } = await tableOf(file);
      bytes[at(start, bytes.length)] ^= 0x01;
      await fs.writeFile(file, bytes);
      const e = await openZstdSeekableReader(file).catch((x: unknown) => x);
      expect(e, field).toBeInstanceOf(ImageLayoutError);
      expect((e as ImageLayoutError).where, field).toMatch(new RegExp(`^${file} seek table`));
      expect((e as Error).message, field).toMatch(message);
    }
  });
});

describe.skipIf(!hasZstd)('seekable zstd and the zstd CLI', () => {
  it('is a .zst that zstd -t verifies and zstd -d turns back into the source bytes', async () => {
    for (const size of [0, 3 * FRAME + 4_321]) {
      const data = mixedBytes(size, 17);
      const file = await image(data);
      expect(zstd(['-t', '-q', file]).status).toBe(0);
      const out = zstd(['-d', '-c', '-q', file]);
      expect(out.status).toBe(0);
      expect(out.stdout.equals(data)).toBe(true);
    }
  });

  it('stores the checksum in every frame, so zstd lists XXH64 for the file', async () => {
    const file = await image(mixedBytes(2 * FRAME + 1, 18));
    const r = zstd(['-lv', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toMatch(/Zstandard Frames: 3/);
    expect(r.stdout.toString()).toMatch(/Check: XXH64/);
  });
});
