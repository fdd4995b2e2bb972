// Image files stay sparse and are never truncated; a block device destination takes writes in place.

import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSink } from '../../../drivers/block/linux.ts';
import { attachLoop } from '../../helpers/loop-device.ts';
import { directTempDir } from './fixtures.ts';

const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await directTempDir('imagebox-sink-');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openSink on an image file', () => {
  it('creates a sparse file of the source size, allocating only what was written', async () => {
    const file = path.join(dir, 'sparse.img');
    const sink = await openSink(file, { create: true, capacityCheck: 256 * MiB });
    expect(sink.capacity).toBeUndefined();
    await sink.write(0, Buffer.alloc(64 * 1024, 1));
    await sink.write(100 * MiB, Buffer.alloc(64 * 1024, 2));
    await sink.sync();
    await sink.close();
    const st = await stat(file);
    expect(st.size).toBe(256 * MiB);
    expect(st.mode & 0o777).toBe(0o644 & ~process.umask());
    // st_blocks counts 512-byte units: about 128 KiB written, against 256 MiB of size.
    expect(st.blocks * 512).toBeLessThan(2 * MiB);
    const back = await readFile(file);
    expect(back[0]).toBe(1);
    expect(back[100 * MiB + 65535]).toBe(2);
    expect(back[50 * MiB]).toBe(0);
  });

  it('never truncates or shrinks an existing image', async () => {
    const file = path.join(dir, 'existing.img');
    const old = Buffer.alloc(3 * MiB, 7);
    await writeFile(file, old);
    const sink = await openSink(file, { create: true, capacityCheck: 1 * MiB });
    await sink.write(4096, Buffer.alloc(4096, 9));
    await sink.close();
    const back = await readFile(file);
    expect(back.length).toBe(3 * MiB);
    expect(back[0]).toBe(7);
    expect(back[4096]).toBe(9);
    expect(back[3 * MiB - 1]).toBe(7);
  });

  it('does not create a file unless asked, and refuses writes after close', async () => {
    await expect(openSink(path.join(dir, 'absent.img'), { create: false })).rejects.toMatchObject({ code: 'ENOENT' });
    const sink = await openSink(path.join(dir, 'closed.img'), { create: true });
    await sink.close();
    await expect(sink.write(0, Buffer.alloc(512))).rejects.toThrow(/after close/);
  });
});

describe('openSink on a block device', () => {
  it('writes in place, knows its capacity, refuses a smaller device and writes past the end', async () => {
    const backing = path.join(dir, 'dest-backing.img');
    await writeFile(backing, Buffer.alloc(4 * MiB));
    const loop = await attachLoop(backing);
    try {
      await expect(openSink(loop.device, { create: false, capacityCheck: 5 * MiB })).rejects.toThrow(RangeError);
      const sink = await openSink(loop.device, { create: false, capacityCheck: 4 * MiB });
      expect(sink.capacity).toBe(4 * MiB);
      await sink.write(MiB, Buffer.alloc(8192, 0xab));
      await expect(sink.write(4 * MiB - 512, Buffer.alloc(1024))).rejects.toThrow(RangeError);
      await sink.sync();
      await sink.close();
    } finally {
      await loop.detach();
    }
    const back = await readFile(backing);
    expect(back.length).toBe(4 * MiB);
    expect(back.subarray(MiB, MiB + 8192).every((b) => b === 0xab)).toBe(true);
    expect(back[MiB - 1]).toBe(0);
    expect(back[MiB + 8192]).toBe(0);
  });
});
