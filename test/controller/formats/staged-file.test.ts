// The E01 segment file's stage: held bytes take their patch before they reach the disk, and the tap
// sees exactly the file's final bytes, in order, which is what the record's segment hashes rely on.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagedFile } from '../../../controller/formats/e01/staged-file.ts';
import type { FileTap } from '../../../controller/formats/types.ts';
import { tempDir } from './fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('imagebox-staged-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function recordingTap() {
  const seen: Buffer[] = [];
  const ended: string[] = [];
  const tap: FileTap = {
    async bytes(_file, data) {
      seen.push(Buffer.from(data));
    },
    async end(file) {
      ended.push(file);
    },
  };
  return { tap, seen, ended };
}

async function open(name: string, tap?: FileTap): Promise<StagedFile> {
  const file = path.join(dir, name);
  return StagedFile.open(await fs.open(file, 'wx'), file, tap);
}

describe('StagedFile', () => {
  it('patches held descriptors across many write-outs, and the tap sees the final file', async () => {
    const { tap, seen, ended } = recordingTap();
    const f = await open('a.E01', tap);
    const expected: Buffer[] = [];
    const put = async (b: Buffer) => {
      expected.push(b);
      await f.append(b);
    };
    await put(randomBytes(13));
    // Groups of about 3 MiB in pieces of odd sizes: about 40 MiB, several times the stage.
    for (let g = 0; g < 13; g++) {
      const base = f.position;
      f.hold(base);
      const placeholder = Buffer.alloc(76);
      await put(placeholder);
      let size = 0;
      while (size < 3 << 20) {
        const piece = randomBytes(1 + Math.floor(Math.random() * 40_000));
        size += piece.length;
        await put(piece);
      }
      const descriptor = randomBytes(76);
      f.patch(base, descriptor);
      descriptor.copy(placeholder);
      f.release();
      await put(randomBytes(1000 + g));
    }
    await f.close();
    const want = Buffer.concat(expected);
    const got = await fs.readFile(path.join(dir, 'a.E01'));
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
    expect(Buffer.concat(seen).equals(want)).toBe(true);
    expect(seen.length).toBeGreaterThan(4);
    expect(ended).toEqual([path.join(dir, 'a.E01')]);
  });

  it('refuses a patch of bytes already written out, and a hold of more than the stage', async () => {
    const f = await open('b.E01');
    await f.append(randomBytes(20 << 20));
    expect(() => f.patch(0, Buffer.alloc(4))).toThrow(RangeError);
    expect(() => f.hold(0)).toThrow(RangeError);
    f.hold(f.position);
    await expect(f.append(randomBytes(20 << 20))).rejects.toThrow(/nothing can be written out/);
    await f.abandon();
  });
});
