// `imagebox rescue` with block devices on both sides: drive to drive, and the refusals that only
// devices can earn (same device, too small, mounted). Loop devices stand in for the drives.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMapfile } from '../../../controller/rescue/mapfile.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { attachKernelDrive, kernelPathAvailable } from '../../../hil/kernel-drive.ts';
import type { KernelDrive } from '../../../hil/kernel-drive.ts';
import { runOk } from '../../../hil/kernel-tools.ts';
import { runCli } from '../../helpers/cli.ts';
import { attachLoop } from '../../helpers/loop-device.ts';
import type { LoopDevice } from '../../helpers/loop-device.ts';
import { checkImageAgainst, tempDir, truthMap } from '../../helpers/rescue-run.ts';

const kernel = await kernelPathAvailable();

describe.skipIf(!kernel.ok)(`rescue between block devices${kernel.ok ? '' : ` — SKIPPED: ${kernel.why}`}`, () => {
  const model = new DriveModel(parseEmuUrl('emu:scattered?seed=31&size=4M'));
  let src: KernelDrive;
  let dir: string;
  const loops: LoopDevice[] = [];
  const mounts: string[] = [];

  async function loopOver(size: number): Promise<string> {
    const file = join(dir, `dev${loops.length}.raw`);
    await writeFile(file, Buffer.alloc(size, 0xee));
    const loop = await attachLoop(file, {});
    loops.push(loop);
    return loop.device;
  }

  beforeAll(async () => {
    dir = await tempDir();
    src = await attachKernelDrive(model);
  });
  afterAll(async () => {
    for (const m of mounts) await runOk('umount', [m]).catch(() => {});
    for (const l of loops) await l.detach();
    await src?.detach();
  });

  it('drive to drive: every readable sector lands on the destination device, the rest is left alone', async () => {
    const dest = await loopOver(model.size + 1024 * 1024);
    const map = join(dir, 'd2d.map');
    const r = await runCli(['rescue', src.device, dest, map, '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    const parsed = parseMapfile(await readFile(map, 'latin1'), { size: model.size });
    expect(parsed.map.equals(truthMap(model))).toBe(true);
    expect(await checkImageAgainst(model, dest, parsed.map)).toBe(truthMap(model).bytes('+'));
    // A bad sector's place on the destination keeps what was there before.
    const bad = model.truth().find((a) => a.status === '-')!;
    const fh = await (await import('node:fs/promises')).open(dest, 'r');
    const b = Buffer.alloc(512);
    await fh.read(b, 0, 512, bad.pos);
    await fh.close();
    expect(b.every((x) => x === 0xee)).toBe(true);
  });

  it('refuses the source device as its own destination', async () => {
    const r = await runCli(['rescue', src.device, src.device, join(dir, 'same.map'), '--max-run-time', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the source itself|same disk/);
  });

  it('refuses a destination device smaller than the source', async () => {
    const small = await loopOver(model.size / 2);
    const r = await runCli(['rescue', src.device, small, join(dir, 'small.map'), '--max-run-time', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/smaller than the source/);
  });

  it('refuses a mounted destination device', async () => {
    const dev = await loopOver(model.size * 2);
    await runOk('mkfs.ext4', ['-q', '-F', dev]);
    const mnt = join(dir, 'mnt');
    await runOk('mkdir', ['-p', mnt]);
    await runOk('mount', [dev, mnt]);
    mounts.push(mnt);
    const r = await runCli(['rescue', src.device, dev, join(dir, 'mounted.map'), '--max-run-time', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/in use \(mounted at/);
  });
});
