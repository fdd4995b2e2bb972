// The Linux source beyond the shared contract: buffered fallback, options, counters, big reads,
// and the reason for the read worker: image writes go on while a source read hangs.

import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../../drivers/block/linux.ts';
import { attachKernelDrive, kernelPathAvailable } from '../../../hil/kernel-drive.ts';
import { directTempDir, HangingDrive, makeContentFile, modelBytes, quietBlock, scatteredDrive } from './fixtures.ts';

const MiB = 1024 * 1024;
let dir: string;

beforeAll(async () => {
  dir = await directTempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openSource on files', () => {
  it('falls back to buffered reads where the filesystem refuses O_DIRECT', async () => {
    // sysfs refuses O_DIRECT at open (EINVAL) and reports every attribute as 4096 bytes long.
    const source = await openSource('/sys/kernel/mm/transparent_hugepage/enabled').catch(() =>
      openSource('/sys/dev/block/7:0/size'),
    );
    try {
      expect(source.direct).toBe(false);
      expect(source.size).toBe(4096);
      // The attribute holds far fewer bytes than it claims: the end of data shows as a short read.
      expect(await source.read(0, 512)).toMatchObject({ ok: false, kind: 'error', code: 'ESHORT' });
    } finally {
      await source.close();
    }
  });

  it('reads through the page cache when asked to', async () => {
    const cf = await makeContentFile(dir, 'buffered.img', 64 * 1024);
    const source = await openSource(cf.file, { direct: false });
    const r = await source.read(512, 1024);
    expect(source.direct).toBe(false);
    expect(r.ok && r.data.equals(cf.content.subarray(512, 1536))).toBe(true);
    await source.close();
  });

  it("says how long each read took on its own thread, not counting the caller's wait for the answer", async () => {
    const cf = await makeContentFile(dir, 'timed.img', 4 * MiB);
    const source = await openSource(cf.file);
    const t0 = performance.now();
    const pending = source.read(0, 4 * MiB);
    // The request is on its way; then the caller's thread is busy: the answer waits for it, the
    // read itself does not.
    await new Promise((resolve) => setTimeout(resolve, 20));
    while (performance.now() - t0 < 320);
    const r = await pending;
    const waited = performance.now() - t0;
    expect(r.ok).toBe(true);
    const deviceMs = r.ok ? r.deviceMs! : NaN;
    expect(deviceMs).toBeGreaterThan(0);
    expect(deviceMs).toBeLessThan(waited - 100);
    await source.close();
  });

  it('takes a sector size override for a file, and refuses a silly one', async () => {
    const cf = await makeContentFile(dir, 'fourk.img', 64 * 1024);
    const source = await openSource(cf.file, { sectorSize: 4096 });
    expect(source.sectorSize).toBe(4096);
    await expect(source.read(512, 4096)).rejects.toThrow(RangeError);
    expect((await source.read(4096, 8192)).ok).toBe(true);
    await source.close();
    await expect(openSource(cf.file, { sectorSize: 1000 })).rejects.toThrow(RangeError);
  });

  it('rejects what it cannot open or read from', async () => {
    await expect(openSource(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(openSource(dir)).rejects.toThrow(/neither a block device nor a regular file/);
  });

  it('counts reads, bytes, errors and reopens', async () => {
    const cf = await makeContentFile(dir, 'counted.img', 64 * 1024);
    const source = await openSource(cf.file);
    await source.read(0, 4096);
    await source.read(4096, 512);
    await source.reopen();
    await source.read(0, 512);
    expect(source.stats()).toEqual({ reads: 3, bytes: 5120, errors: 0, timeouts: 0, reopens: 1 });
    await source.close();
  });

  it('serves reads larger than one worker buffer, and concurrent callers in turn', async () => {
    const cf = await makeContentFile(dir, 'big.img', 72 * MiB);
    const source = await openSource(cf.file);
    const [big, small] = await Promise.all([source.read(MiB, 70 * MiB), source.read(0, 512)]);
    expect(big.ok && big.data.equals(cf.content.subarray(MiB, 71 * MiB))).toBe(true);
    expect(small.ok && small.data.equals(cf.content.subarray(0, 512))).toBe(true);
    await source.close();
  });
});

const kernel = await kernelPathAvailable();

describe.skipIf(!kernel.ok)('openSource on a drive that hangs (kernel path)', () => {
  it('keeps image writes going while abandoned reads hang, and reads on once the drive answers', async () => {
    const model = scatteredDrive();
    const hang = quietBlock(model, 512);
    const drive = await attachKernelDrive(new HangingDrive(model, hang, 1200));
    const source = await openSource(drive.device);
    const image = await open(path.join(dir, 'image.img'), 'w');
    try {
      // As many stuck reads as libuv has pool threads: reads on that pool would now starve every write.
      // Each gives up well before the drive's 1.2 s hang ends (900 ms leaves room for a loaded machine).
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now();
        expect(await source.read(hang.pos, 512, { timeoutMs: 100 })).toMatchObject({ ok: false, kind: 'timeout' });
        expect(performance.now() - t0).toBeLessThan(900);
      }
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          await image.write(Buffer.alloc(4096, i), 0, 4096, i * 4096);
          await image.datasync();
        }),
      );
      expect(performance.now() - t0).toBeLessThan(1000);
      const t1 = performance.now();
      await source.reopen();
      expect(performance.now() - t1).toBeLessThan(1000);
      const good = await source.read(0, 4096);
      expect(good.ok && good.data.equals(modelBytes(model, 0, 4096))).toBe(true);
      expect(source.stats()).toMatchObject({ reads: 5, errors: 0, timeouts: 4, reopens: 5 });
    } finally {
      await image.close();
      await source.close();
      await drive.detach();
    }
  });

  it('without a timeout, waits for the drive and reports its error', async () => {
    const model = scatteredDrive();
    const hang = quietBlock(model, 512);
    const drive = await attachKernelDrive(new HangingDrive(model, hang, 800));
    const source = await openSource(drive.device);
    try {
      const t0 = performance.now();
      expect(await source.read(hang.pos, 512)).toMatchObject({ ok: false, kind: 'error', code: 'EIO' });
      expect(performance.now() - t0).toBeGreaterThan(700);
      expect(source.stats()).toMatchObject({ reads: 1, errors: 1, timeouts: 0, reopens: 0 });
    } finally {
      await source.close();
      await drive.detach();
    }
  });
});
