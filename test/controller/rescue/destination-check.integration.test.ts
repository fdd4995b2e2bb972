// checkDestination over real paths: loop devices as source and destination, and an image file
// placed on a filesystem mounted from the source.

import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDestination, checkMapfile } from '../../../controller/rescue/destination-check.ts';
import { describePath } from '../../../drivers/block/device-info.ts';
import { runOk } from '../../../hil/kernel-tools.ts';
import { attachLoop, writeMbr, type LoopDevice } from '../../helpers/loop-device.ts';
import { directTempDir } from '../../drivers/block/fixtures.ts';

const MiB = 1024 * 1024;

async function check(source: string, dest: string, opts: { mapfileExists?: boolean; force?: boolean } = {}) {
  return checkDestination({
    source: await describePath(source),
    dest: await describePath(dest),
    mapfileExists: opts.mapfileExists ?? false,
    force: opts.force ?? false,
  });
}

/** Loop devices are few and shared: hold each only for as long as a test needs it. */
async function withLoop<T>(file: string, opts: { readOnly?: boolean }, fn: (l: LoopDevice) => Promise<T>): Promise<T> {
  const loop = await attachLoop(file, opts);
  try {
    return await fn(loop);
  } finally {
    await loop.detach();
  }
}

async function sizedFile(file: string, size: number): Promise<string> {
  await writeFile(file, '');
  await truncate(file, size);
  return file;
}

describe('checkDestination on real devices and files', () => {
  let dir: string;
  let mnt: string;
  let source: LoopDevice;
  let mounted = false;

  beforeAll(async () => {
    dir = await directTempDir('imagebox-destcheck-');
    const backing = await sizedFile(path.join(dir, 'source.img'), 16 * MiB);
    await writeMbr(backing, [{ startSector: 2048, sectors: 28672 }]);
    source = await attachLoop(backing, { partitions: true });
    await runOk('mkfs.ext4', ['-q', '-F', source.partitions[0]]);
    mnt = path.join(dir, 'mnt');
    await mkdir(mnt);
    await runOk('mount', [source.partitions[0], mnt]);
    mounted = true;
  });

  afterAll(async () => {
    if (mounted) await runOk('umount', [mnt]);
    await source?.detach();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses the source device as its own destination', async () => {
    expect(await check(source.device, source.device)).toEqual({
      ok: false,
      reason: `destination ${source.device} is the source itself`,
    });
  });

  it('refuses the source disk partition, and an image on the filesystem mounted from it', async () => {
    expect(await check(source.device, source.partitions[0])).toEqual({
      ok: false,
      reason: `destination ${source.partitions[0]} is a partition of the source disk ${source.device}`,
    });
    const name = path.basename(source.device);
    expect(await check(source.device, path.join(mnt, 'rescue.img'))).toEqual({
      ok: false,
      reason: `destination ${path.join(mnt, 'rescue.img')} is on a filesystem that lives on the source disk (${name})`,
    });
    expect(
      checkMapfile({
        source: await describePath(source.device),
        dest: await describePath(path.join(dir, 'rescue.img')),
        mapfile: await describePath(path.join(mnt, 'rescue.map')),
      }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/lives on the source disk/) });
  });

  it('accepts another loop device over the same backing file: a different device to the kernel', async () => {
    // Read-only so the source's mounted filesystem is never written through the alias.
    await withLoop(path.join(dir, 'source.img'), { readOnly: true }, async (alias) => {
      expect(await check(alias.device, path.join(dir, 'alias.img'))).toEqual({ ok: true });
    });
  });

  it('refuses a smaller destination device, accepts a big enough idle one', async () => {
    await withLoop(await sizedFile(path.join(dir, 'small.img'), 8 * MiB), {}, async (small) => {
      expect(await check(source.device, small.device)).toEqual({
        ok: false,
        reason: `destination ${small.device} (${8 * MiB} bytes) is smaller than the source (${16 * MiB} bytes)`,
      });
    });
    await withLoop(await sizedFile(path.join(dir, 'big.img'), 32 * MiB), {}, async (big) => {
      expect(await check(source.device, big.device)).toEqual({ ok: true });
    });
  });

  it('refuses a mounted destination and the system disk', async () => {
    const srcPart = source.partitions[0];
    await withLoop(await sizedFile(path.join(dir, 'other.img'), 4 * MiB), { readOnly: true }, async (other) => {
      expect(await check(other.device, source.device)).toEqual({
        ok: false,
        reason: `destination ${source.device} is in use (mounted at ${mnt}); unmount it first`,
      });
      expect(await check(other.device, srcPart)).toMatchObject({ ok: false, reason: expect.stringMatching(/is in use/) });
      if ((await describePath('/dev/vda')).kind === 'block') {
        expect(await check(other.device, '/dev/vda')).toEqual({ ok: false, reason: 'destination /dev/vda is on the system disk (vda)' });
      }
    });
  });

  it('refuses to overwrite an existing image without a mapfile unless forced', async () => {
    const img = path.join(dir, 'old.img');
    await writeFile(img, Buffer.alloc(4096, 1));
    expect(await check(source.device, img)).toMatchObject({ ok: false, reason: expect.stringMatching(/--force/) });
    expect(await check(source.device, img, { mapfileExists: true })).toEqual({ ok: true });
    expect(await check(source.device, img, { force: true })).toEqual({ ok: true });
  });
});
