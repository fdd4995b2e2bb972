import { describe, expect, it } from 'vitest';
import { checkDestination, checkMapfile } from '../../../controller/rescue/destination-check.ts';
import type { BlockPathInfo, FilePathInfo, MissingPathInfo, PathInfo } from '../../../drivers/block/device-info.ts';

const GB = 1e9;

function disk(name: string, dev: string, over: Partial<BlockPathInfo> = {}): BlockPathInfo {
  return {
    kind: 'block',
    path: `/dev/${name}`,
    rdev: dev,
    name,
    size: 500 * GB,
    logicalSectorSize: 512,
    physicalSectorSize: 4096,
    readOnly: false,
    disk: { name, dev },
    isPartition: false,
    partitions: [],
    mountPoints: [],
    mounted: false,
    systemDisk: false,
    ...over,
  };
}

function partition(of: BlockPathInfo, n: number, dev: string, over: Partial<BlockPathInfo> = {}): BlockPathInfo {
  return disk(`${of.name}${n}`, dev, { disk: of.disk, isPartition: true, size: 100 * GB, ...over });
}

function file(p: string, over: Partial<FilePathInfo> = {}): FilePathInfo {
  return { kind: 'file', path: p, dev: '254:1', ino: '1234', size: 0, fsDisks: ['254:0'], ...over };
}

function missing(p: string, over: Partial<MissingPathInfo> = {}): MissingPathInfo {
  return { kind: 'missing', path: p, dev: '254:1', fsDisks: ['254:0'], ...over };
}

const sdb = disk('sdb', '8:16');
const sdb1 = partition(sdb, 1, '8:17');
const sdc = disk('sdc', '8:32', { size: 1000 * GB });

function dest(source: PathInfo, d: PathInfo, opts: { mapfileExists?: boolean; force?: boolean } = {}) {
  return checkDestination({ source, dest: d, mapfileExists: opts.mapfileExists ?? false, force: opts.force ?? false });
}

describe('checkDestination', () => {
  it('accepts a new image file, a larger idle disk, and an existing image being resumed', () => {
    expect(dest(sdb, missing('/images/sdb.img'))).toEqual({ ok: true });
    expect(dest(sdb, sdc)).toEqual({ ok: true });
    expect(dest(sdb, file('/images/sdb.img', { size: 123 }), { mapfileExists: true })).toEqual({ ok: true });
    expect(dest(sdb1, file('/images/sdb1.img', { size: 0 }))).toEqual({ ok: true });
  });

  it('refuses the source itself, as a device or as a file', () => {
    expect(dest(sdb, disk('sdb', '8:16', { path: '/dev/disk/by-id/ata-X' }))).toEqual({
      ok: false,
      reason: 'destination /dev/disk/by-id/ata-X is the source itself',
    });
    const img = file('/images/a.img', { ino: '77', size: 10 });
    expect(dest(img, file('/images/../images/a.img', { ino: '77', size: 10 }), { force: true })).toEqual({
      ok: false,
      reason: 'destination /images/../images/a.img is the source itself',
    });
  });

  it('refuses another part of the same physical disk', () => {
    expect(dest(sdb, sdb1)).toEqual({ ok: false, reason: 'destination /dev/sdb1 is a partition of the source disk /dev/sdb' });
    expect(dest(sdb1, sdb)).toEqual({
      ok: false,
      reason: 'destination /dev/sdb is the disk that holds the source partition /dev/sdb1',
    });
    expect(dest(sdb1, partition(sdb, 2, '8:18'))).toEqual({
      ok: false,
      reason: 'destination /dev/sdb2 is on the same disk (sdb) as the source /dev/sdb1',
    });
  });

  it('refuses a file on a filesystem that lives on the source disk', () => {
    const onSource = file('/media/sdb2/img', { dev: '8:18', fsDisks: ['8:16'], size: 0 });
    expect(dest(sdb1, onSource)).toEqual({
      ok: false,
      reason: 'destination /media/sdb2/img is on a filesystem that lives on the source disk (sdb)',
    });
    expect(dest(sdb, missing('/media/sdb2/new.img', { fsDisks: ['8:16'] }))).toEqual({
      ok: false,
      reason: 'destination /media/sdb2/new.img is on a filesystem that lives on the source disk (sdb)',
    });
  });

  it('refuses a destination disk smaller than the source', () => {
    expect(dest(sdc, sdb)).toEqual({
      ok: false,
      reason: 'destination /dev/sdb (500000000000 bytes) is smaller than the source (1000000000000 bytes)',
    });
    expect(dest(file('/i.img', { size: 600 * GB }), sdb)).toMatchObject({ ok: false, reason: expect.stringMatching(/smaller/) });
  });

  it('refuses a mounted destination, the system disk, and a read-only one', () => {
    expect(dest(sdb, disk('sdc', '8:32', { mounted: true, mountPoints: ['/mnt/a', '[swap]'] }))).toEqual({
      ok: false,
      reason: 'destination /dev/sdc is in use (mounted at /mnt/a, [swap]); unmount it first',
    });
    expect(dest(sdb, disk('vda', '254:0', { systemDisk: true, mounted: true, mountPoints: ['/'] }))).toEqual({
      ok: false,
      reason: 'destination /dev/vda is on the system disk (vda)',
    });
    expect(dest(sdb, disk('sdc', '8:32', { readOnly: true }))).toEqual({ ok: false, reason: 'destination /dev/sdc is read-only' });
  });

  it('refuses to overwrite an image that has no mapfile unless forced', () => {
    const old = file('/images/old.img', { size: 4096 });
    expect(dest(sdb, old)).toEqual({
      ok: false,
      reason: 'destination /images/old.img already holds 4096 bytes and there is no mapfile to resume from; use --force to overwrite it',
    });
    expect(dest(sdb, old, { force: true })).toEqual({ ok: true });
  });

  it('refuses a destination that is neither a file nor a block device, and a source that is neither', () => {
    expect(dest(sdb, { kind: 'other', path: '/images', what: 'directory' })).toEqual({
      ok: false,
      reason: 'destination /images is a directory, not an image file or a block device',
    });
    expect(dest(missing('/dev/sdz'), missing('/i.img'))).toEqual({
      ok: false,
      reason: 'source /dev/sdz is not a block device or an image file',
    });
  });
});

describe('checkMapfile', () => {
  const image = missing('/images/sdb.img');
  it('accepts a mapfile of its own on another disk', () => {
    expect(checkMapfile({ source: sdb, dest: image, mapfile: missing('/images/sdb.map') })).toEqual({ ok: true });
    expect(checkMapfile({ source: sdb, dest: image, mapfile: file('/images/sdb.map', { ino: '9', size: 300 }) })).toEqual({
      ok: true,
    });
  });

  it('refuses the source, the destination, a device, and the source disk', () => {
    expect(checkMapfile({ source: sdb, dest: image, mapfile: disk('sdb', '8:16') })).toEqual({
      ok: false,
      reason: 'mapfile /dev/sdb is the source',
    });
    expect(checkMapfile({ source: sdb, dest: image, mapfile: missing('/images/sdb.img') })).toEqual({
      ok: false,
      reason: 'mapfile /images/sdb.img is the destination',
    });
    const existing = file('/images/sdb.img', { ino: '5' });
    expect(checkMapfile({ source: sdb, dest: existing, mapfile: file('/images/./sdb.img', { ino: '5' }) })).toEqual({
      ok: false,
      reason: 'mapfile /images/./sdb.img is the destination',
    });
    expect(checkMapfile({ source: sdb, dest: image, mapfile: sdc })).toEqual({
      ok: false,
      reason: 'mapfile /dev/sdc is a block device, not a file',
    });
    expect(checkMapfile({ source: sdb, dest: image, mapfile: missing('/media/sdb2/m.map', { fsDisks: ['8:16'] }) })).toEqual({
      ok: false,
      reason: 'mapfile /media/sdb2/m.map is on a filesystem that lives on the source disk (sdb)',
    });
  });
});
