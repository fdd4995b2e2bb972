// The kernel path: our NBD server -> nbdfuse -> read-only loop device with direct-io. Every device
// access goes through a child process (dd, blockdev): the server answering it runs on this thread.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachKernelDrive, kernelPathAvailable } from '../../hil/kernel-drive.ts';
import type { KernelDrive } from '../../hil/kernel-drive.ts';
import { DriveModel } from '../../hil/drive-model.ts';
import { parseEmuUrl } from '../../hil/emu-url.ts';
import type { DriveBackend } from '../../hil/types.ts';
import { BufferDrive } from '../helpers/buffer-drive.ts';
import { ddRead, ddSeconds, runCommand } from '../helpers/dd.ts';

const available = await kernelPathAvailable();
const skipWhy = available.ok ? '' : ` — SKIPPED: ${available.why}`;
if (!available.ok) console.warn(`test/hil/kernel-drive.test.ts: ${available.why}`);

async function blockdev(device: string): Promise<string[]> {
  const r = await runCommand('blockdev', ['--getsize64', '--getro', '--getss', device]);
  expect(r.code, r.stderr).toBe(0);
  return r.data.toString().trim().split('\n');
}

/** Whether anything of this drive is left in the kernel: a loop device on its file, or its mount. */
async function leftovers(d: { file: string; mountpoint: string }): Promise<string[]> {
  const found: string[] = [];
  const loops = (await runCommand('losetup', ['-a'])).data.toString();
  if (loops.includes(d.file)) found.push(`loop device on ${d.file}`);
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  if (mounts.split('\n').some((l) => l.split(' ')[1] === d.mountpoint)) found.push(`mount ${d.mountpoint}`);
  return found;
}

describe.skipIf(!available.ok)(`kernel drive, 512-byte sectors${skipWhy}`, () => {
  const drive = new BufferDrive({ size: 4 * 1024 * 1024, sectorSize: 512, bad: [100, 101, 300], hang: new Map([[5000, 1500]]) });
  let kd: KernelDrive;

  beforeAll(async () => {
    kd = await attachKernelDrive(drive);
  });
  afterAll(async () => {
    await kd?.detach();
  });

  it('is a read-only loop device of the right size and sector size, with direct-io', async () => {
    expect(kd.device).toMatch(/^\/dev\/loop\d+$/);
    expect(await blockdev(kd.device)).toEqual([String(drive.size), '1', '512']);
    const dio = await readFile(`/sys/block/${path.basename(kd.device)}/loop/dio`, 'utf8');
    expect(dio.trim()).toBe('1');
  });

  it('direct reads return the exact bytes of good sectors and EIO exactly at bad ones', async () => {
    for (const sector of [0, 99, 102, 299, 301, 8191]) {
      const r = await ddRead(kd.device, 512, sector, 1);
      expect(r.code, `sector ${sector}: ${r.stderr}`).toBe(0);
      expect(r.data.equals(drive.bytes(sector * 512, 512)), `sector ${sector}`).toBe(true);
    }
    for (const sector of [100, 101, 300]) {
      const r = await ddRead(kd.device, 512, sector, 1);
      expect(r.code, `sector ${sector}`).not.toBe(0);
      expect(r.stderr).toMatch(/Input\/output error/);
      expect(r.data.length).toBe(0);
    }
    // A wider read touching a bad sector fails whole; one ending just before it succeeds.
    expect((await ddRead(kd.device, 4096, 12, 1)).code).not.toBe(0); // sectors 96..103
    const before = await ddRead(kd.device, 512, 36, 64); // sectors 36..99
    expect(before.code, before.stderr).toBe(0);
    expect(before.data.equals(drive.bytes(36 * 512, 64 * 512))).toBe(true);
  });

  it('refuses writes', async () => {
    const r = await runCommand('dd', [`of=${kd.device}`, 'oflag=direct', 'bs=512', 'count=1', 'conv=notrunc', 'status=none'], Buffer.alloc(512, 1));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Operation not permitted|Read-only/i);
    const after = await ddRead(kd.device, 512, 0, 1);
    expect(after.data.equals(drive.bytes(0, 512))).toBe(true);
  });

  it('a hung sector delays its read by the wall time asked, while this event loop keeps running', async () => {
    // The kernel queues the second read behind the hung one (one loop worker, synchronous FUSE
    // direct I/O), as a real drive's queue would; the server itself lets replies overtake
    // (test/hil/nbd-server.test.ts). What matters here: the hang reaches the reader, and the
    // event loop that serves the drive stays free throughout.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const hung = ddRead(kd.device, 512, 5000, 1);
      await new Promise((r) => setTimeout(r, 200));
      const other = await ddRead(kd.device, 512, 4000, 1);
      const h = await hung;
      expect(other.code).toBe(0);
      expect(other.data.equals(drive.bytes(4000 * 512, 512))).toBe(true);
      expect(h.code).not.toBe(0);
      expect(h.stderr).toMatch(/Input\/output error/);
      expect(h.ms).toBeGreaterThanOrEqual(1450);
      // 10 ms ticks over >= 1.45 s: a blocked loop would have managed a handful at most.
      expect(ticks).toBeGreaterThan(60);
    } finally {
      clearInterval(timer);
    }
    expect(kd.serverStats().hungReplies).toBeGreaterThanOrEqual(1);
  });

  it('detach tears everything down and can be called again', async () => {
    const d2 = await attachKernelDrive(new BufferDrive({ size: 1024 * 1024, sectorSize: 512 }));
    expect(await leftovers(d2)).not.toEqual([]);
    await d2.detach();
    await d2.detach();
    expect(await leftovers(d2)).toEqual([]);
  });
});

describe.skipIf(!available.ok)(`kernel drive, 4096-byte sectors (4Kn)${skipWhy}`, () => {
  const drive = new BufferDrive({ size: 8 * 1024 * 1024, sectorSize: 4096, bad: [77] });
  let kd: KernelDrive;

  beforeAll(async () => {
    kd = await attachKernelDrive(drive);
  });
  afterAll(async () => {
    await kd?.detach();
  });

  it('shows 4096-byte logical sectors and serves them exactly', async () => {
    expect(kd.sectorSize).toBe(4096);
    expect(await blockdev(kd.device)).toEqual([String(drive.size), '1', '4096']);
    for (const sector of [76, 78]) {
      const r = await ddRead(kd.device, 4096, sector, 1);
      expect(r.code, r.stderr).toBe(0);
      expect(r.data.equals(drive.bytes(sector * 4096, 4096))).toBe(true);
    }
    const bad = await ddRead(kd.device, 4096, 77, 1);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Input\/output error/);
    // A 512-byte direct read is not a whole logical sector: the kernel refuses it.
    const small = await ddRead(kd.device, 512, 0, 1);
    expect(small.code).not.toBe(0);
    expect(small.stderr).toMatch(/Invalid argument/);
  });
});

describe.skipIf(!available.ok)(`kernel drive throughput (printed, not asserted)${skipWhy}`, () => {
  const zeros: DriveBackend = {
    size: 256 * 1024 * 1024,
    sectorSize: 512,
    read: (_pos, len) => ({ ok: true, data: Buffer.alloc(len), hangMs: 0 }),
    reset: () => {},
  };
  const model = new DriveModel(parseEmuUrl('emu:healthy?size=256M'));

  for (const [name, backend] of [
    ['zero-filled backend', zeros],
    ['DriveModel emu:healthy', model],
  ] as const) {
    it(`measures direct reads through ${name}`, async () => {
      const kd = await attachKernelDrive(backend);
      try {
        const big = await runCommand('dd', [`if=${kd.device}`, 'iflag=direct', 'bs=1M', 'count=256', 'of=/dev/null']);
        expect(big.code, big.stderr).toBe(0);
        const small = await runCommand('dd', [`if=${kd.device}`, 'iflag=direct', 'bs=512', 'count=10000', 'of=/dev/null']);
        expect(small.code, small.stderr).toBe(0);
        const mbps = 256 / ddSeconds(big.stderr);
        const iops = 10_000 / ddSeconds(small.stderr);
        console.log(`kernel path (${name}): 1 MiB direct reads ${mbps.toFixed(0)} MiB/s; 512-byte direct reads ${iops.toFixed(0)}/s`);
      } finally {
        await kd.detach();
      }
    });
  }
});

describe.skipIf(!available.ok)(`npm run hil:drive${skipWhy}`, () => {
  let dir: string;
  const env = () => ({ ...process.env, IMAGEBOX_HIL_DIR: dir });
  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const cwd = path.resolve(import.meta.dirname, '../..');
      execFile('npm', ['run', '-s', 'hil:drive', '--', ...args], { env: env(), cwd }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hil-drive-test-'));
  });
  afterAll(async () => {
    // Whatever a failed assertion left up.
    await cli('down', '--all').catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('up prints a loop device, status lists it, stats reads the model, down removes it all', async () => {
    const up = await cli('up', 'scattered', '--size', '16M');
    expect(up.code, up.stderr).toBe(0);
    const device = up.stdout.trim();
    expect(device).toMatch(/^\/dev\/loop\d+$/);
    expect(await blockdev(device)).toEqual([String(16 * 1024 * 1024), '1', '512']);

    const status = await cli('status');
    expect(status.stdout).toContain(`${device}\temu:scattered?seed=1&size=16M&sector=512`);
    const [state] = JSON.parse((await cli('status', '--json')).stdout) as { file: string; mountpoint: string; pid: number }[];

    // Some traffic for the model to account for (a scattered bad sector may fail one; that counts too).
    for (let sector = 0; sector < 8; sector++) await ddRead(device, 512, sector * 1000, 1);
    const stats = JSON.parse((await cli('stats', device)).stdout) as { model: { reads: number }; server: { reads: number } };
    expect(stats.model.reads).toBeGreaterThan(0);
    expect(stats.server.reads).toBe(stats.model.reads);

    const down = await cli('down', device);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(state)).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toEqual([]);
    expect((await cli('status')).stdout).toBe('');
    // Gone, or a zombie waiting for init (whose cmdline is empty).
    expect(await readFile(`/proc/${state.pid}/cmdline`, 'utf8').catch(() => '')).toBe('');
  });

  it('errors are one line on stderr with a non-zero exit', async () => {
    const bad = await cli('up', 'no-such-pattern');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.split('\n').filter((l) => l.startsWith('hil:drive:'))).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown drive pattern "no-such-pattern"/);
    const down = await cli('down', '/dev/loop7');
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/not a drive started by hil:drive/);
  });
});
