// A writable loop device for the write-block tests, when this host can make one: root, the loop
// control device, losetup and blockdev. Detached by name when done, as loop devices are shared.

import { access, constants, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findProgram, run } from '../../../hil/kernel-tools.ts';
import { attachLoop, writeMbr, type LoopDevice } from '../../helpers/loop-device.ts';

async function check(): Promise<{ ok: boolean; why: string }> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root');
  if (!(await access('/dev/loop-control', constants.R_OK | constants.W_OK).then(() => true, () => false))) missing.push('/dev/loop-control');
  for (const p of ['losetup', 'blockdev', 'partx']) if (!(await findProgram(p))) missing.push(p);
  return missing.length === 0
    ? { ok: true, why: 'loop devices available' }
    : { ok: false, why: `skipped: loop devices unavailable here, missing ${missing.join(', ')}` };
}

export const loopAvailable = await check();

/** A 4 MiB read-write loop device with one partition; cleanup() clears its flag, detaches it, removes its file. */
export async function attachPartitionedLoop(): Promise<{ loop: LoopDevice; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'imagebox-blocker-'));
  const file = path.join(dir, 'disk.img');
  await writeFile(file, '');
  await truncate(file, 4 * 1024 * 1024);
  await writeMbr(file, [{ startSector: 2048, sectors: 4096 }]);
  const loop = await attachLoop(file, { partitions: true });
  return {
    loop,
    async cleanup() {
      // BLKROSET outlives `losetup -d`: the next user of this loop device would find it read-only.
      for (const dev of [...loop.partitions, loop.device]) await run('blockdev', ['--setrw', dev]);
      await loop.detach();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function withLoop(fn: (dev: string, partition: string) => Promise<void>): Promise<void> {
  const { loop, cleanup } = await attachPartitionedLoop();
  try {
    await fn(loop.device, loop.partitions[0]);
  } finally {
    await cleanup();
  }
}
