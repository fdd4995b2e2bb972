// Lent read slots: a source reads into shared slots it lends out; a slot is read into again only
// after every hold on it is released, and a caller that never releases keeps valid bytes.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLent, release, retain } from '../../../drivers/block/lease.ts';
import { openSource } from '../../../drivers/block/linux.ts';
import { MAX_SLOTS } from '../../../drivers/block/read-session.ts';
import { createRawWriter } from '../../../controller/formats/raw.ts';

const MiB = 2 ** 20;
let dir: string;
let file: string;
let bytes: Buffer;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imagebox-lease-'));
  file = path.join(dir, 'src.bin');
  bytes = randomBytes((MAX_SLOTS + 8) * MiB + 3 * 512);
  await fs.writeFile(file, bytes);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function readOk(src: Awaited<ReturnType<typeof openSource>>, pos: number, len: number): Promise<Buffer> {
  const r = await src.read(pos, len);
  if (!r.ok) throw new Error(r.message);
  return r.data;
}

describe('lent read slots', () => {
  it('a released slot is read into again; one still held is not', async () => {
    const src = await openSource(file);
    try {
      const a = await readOk(src, 0, MiB);
      expect(isLent(a)).toBe(true);
      expect(retain(a)).toBe(true);
      release(a);
      // Still held once (the reader's hold): the next read must not land in it.
      const b = await readOk(src, MiB, MiB);
      expect(b.buffer).not.toBe(a.buffer);
      expect(a.equals(bytes.subarray(0, MiB))).toBe(true);
      release(a);
      expect(isLent(a)).toBe(false);
      const c = await readOk(src, 2 * MiB, MiB);
      expect(c.buffer).toBe(a.buffer);
      expect(c.equals(bytes.subarray(2 * MiB, 3 * MiB))).toBe(true);
    } finally {
      await src.close();
    }
  });

  it('a caller that never releases keeps every buffer intact, past the slot bound', async () => {
    const src = await openSource(file);
    try {
      const kept: Buffer[] = [];
      for (let i = 0; i < MAX_SLOTS + 8; i++) kept.push(await readOk(src, i * MiB, MiB));
      expect(kept.filter((b) => isLent(b)).length).toBe(MAX_SLOTS);
      kept.forEach((b, i) => expect(b.equals(bytes.subarray(i * MiB, (i + 1) * MiB))).toBe(true));
    } finally {
      await src.close();
    }
  });

  it('a raw image written from lent slots, copies and an unaligned tail holds the source bytes', async () => {
    const src = await openSource(file);
    const out = path.join(dir, 'img.raw');
    const w = await createRawWriter(out);
    try {
      let pos = 0;
      // 1 MiB lent reads, then odd-sized ones (copied through the stage), then the 3-sector tail.
      for (const len of [MiB, MiB, 512, MiB - 512, 4096 * 3, MiB, 3 * 512]) {
        const d = await readOk(src, pos, len);
        await w.write(d);
        release(d);
        pos += len;
      }
      await w.close();
      expect((await fs.readFile(out)).equals(bytes.subarray(0, pos))).toBe(true);
    } finally {
      await src.close();
    }
  });
});
