// describePath on this machine: the system disk, and a partitioned loop device with a mounted filesystem.

import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePath, type BlockPathInfo } from '../../../drivers/block/device-info.ts';
import { runOk } from '../../../hil/kernel-tools.ts';
import { attachLoop, writeMbr, type LoopDevice } from '../../helpers/loop-device.ts';
import { directTempDir } from './fixtures.ts';

const MiB = 1024 * 1024;

describe('describePath on the machine it runs on', () => {
  it('says the disk holding / is the system disk, and mounted', async () => {
    const root = (await describePath('/')) as { kind: string };
    expect(root.kind).toBe('other');
    const mountinfo = (await import('node:fs')).readFileSync('/proc/self/mountinfo', 'utf8');
    const rootSource = /^\S+ \S+ \S+ \S+ \/ .* - \S+ (\S+)/m.exec(mountinfo)?.[1];
    if (!rootSource?.startsWith('/dev/')) return; // an overlay root (container) has no disk to name
    const info = await describePath(rootSource);
    expect(info.kind).toBe('block');
    const disk = await describePath(`/dev/${(info as BlockPathInfo).disk.name}`);
    expect(disk).toMatchObject({ kind: 'block', systemDisk: true, mounted: true });
    expect((disk as BlockPathInfo).mountPoints).toContain('/');
  });

  it('describes files with their filesystem device and inode, and paths not there yet', async () => {
    const file = await describePath(import.meta.filename);
    expect(file).toMatchObject({ kind: 'file', ino: expect.stringMatching(/^\d+$/), dev: expect.stringMatching(/^\d+:\d+$/) });
    const missing = await describePath(path.join(import.meta.dirname, 'no', 'such', 'file.img'));
    expect(missing).toMatchObject({ kind: 'missing', dev: file.kind === 'file' ? file.dev : 'x' });
    expect(await describePath('/dev/null')).toMatchObject({ kind: 'other', what: 'character device' });
  });
});

describe('describePath on a partitioned loop device', () => {
  let dir: string;
  let loop: LoopDevice;
  let mnt: string;
  let mounted = false;

  beforeAll(async () => {
    dir = await directTempDir('imagebox-devinfo-');
    const backing = path.join(dir, 'disk.img');
    await writeFile(backing, '');
    await truncate(backing, 24 * MiB);
    await writeMbr(backing, [
      { startSector: 2048, sectors: 8192 },
      { startSector: 10240, sectors: 36864 },
    ]);
    loop = await attachLoop(backing, { partitions: true });
    await runOk('mkfs.ext4', ['-q', '-F', loop.partitions[1]]);
    mnt = path.join(dir, 'mnt');
    await mkdir(mnt);
    await runOk('mount', [loop.partitions[1], mnt]);
    mounted = true;
  });

  afterAll(async () => {
    if (mounted) await runOk('umount', [mnt]);
    await loop?.detach();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the disk, its partitions and where they are mounted', async () => {
    const disk = (await describePath(loop.device)) as BlockPathInfo;
    expect(disk).toMatchObject({
      kind: 'block',
      isPartition: false,
      size: 24 * MiB,
      logicalSectorSize: 512,
      readOnly: false,
      mounted: true,
      mountPoints: [mnt],
      systemDisk: false,
    });
    expect(disk.disk.dev).toBe(disk.rdev);
    expect(disk.partitions.map((p) => p.name)).toEqual(loop.partitions.map((p) => path.basename(p)));

    const p1 = (await describePath(loop.partitions[0])) as BlockPathInfo;
    expect(p1).toMatchObject({ kind: 'block', isPartition: true, size: 8192 * 512, mounted: false, disk: disk.disk });
    const p2 = (await describePath(loop.partitions[1])) as BlockPathInfo;
    expect(p2).toMatchObject({ isPartition: true, mounted: true, mountPoints: [mnt] });
  });

  it('traces a file, and a file to be, to the disk under its filesystem', async () => {
    const disk = (await describePath(loop.device)) as BlockPathInfo;
    const p2 = (await describePath(loop.partitions[1])) as BlockPathInfo;
    await writeFile(path.join(mnt, 'f'), 'x');
    expect(await describePath(path.join(mnt, 'f'))).toMatchObject({ kind: 'file', dev: p2.rdev, size: 1, fsDisks: [disk.rdev] });
    expect(await describePath(path.join(mnt, 'sub', 'new.img'))).toMatchObject({ kind: 'missing', dev: p2.rdev, fsDisks: [disk.rdev] });
  });

  it('reports a read-only loop device as read-only', async () => {
    const ro = await attachLoop(path.join(dir, 'disk.img'), { readOnly: true });
    try {
      expect(await describePath(ro.device)).toMatchObject({ kind: 'block', readOnly: true, mounted: false });
    } finally {
      await ro.detach();
    }
  });
});
