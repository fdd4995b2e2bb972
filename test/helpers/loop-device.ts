// Loop devices for kernel-path tests. They are few and shared by everything on the machine:
// take a free one with `losetup -f --show`, and detach it by name when done.

import { access, open, readFile } from 'node:fs/promises';
import { run, runOk } from '../../hil/kernel-tools.ts';

export interface LoopOptions {
  readonly readOnly?: boolean;
  readonly directIo?: boolean;
  readonly sectorSize?: number;
  /** Scan the partition table, giving /dev/loopNpM nodes. */
  readonly partitions?: boolean;
}

export interface LoopDevice {
  readonly device: string;
  /** /dev/loopNp1, … when attached with partitions. */
  readonly partitions: readonly string[];
  detach(): Promise<void>;
}

export interface MbrPartition {
  readonly startSector: number;
  readonly sectors: number;
}

/** Write a DOS partition table (type 0x83 entries) into the first sector of a file. */
export async function writeMbr(file: string, parts: readonly MbrPartition[]): Promise<void> {
  const mbr = Buffer.alloc(512);
  parts.forEach((p, i) => {
    const at = 446 + 16 * i;
    mbr[at + 4] = 0x83;
    mbr.writeUInt32LE(p.startSector, at + 8);
    mbr.writeUInt32LE(p.sectors, at + 12);
  });
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  const fh = await open(file, 'r+');
  await fh.write(mbr, 0, 512, 0);
  await fh.close();
}

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await access(file).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${file} did not appear`);
}

export async function attachLoop(file: string, opts: LoopOptions = {}): Promise<LoopDevice> {
  const args = ['-f', '--show'];
  if (opts.readOnly) args.push('-r');
  if (opts.directIo) args.push('--direct-io=on');
  if (opts.sectorSize) args.push('--sector-size', String(opts.sectorSize));
  if (opts.partitions) args.push('-P');
  const device = (await runOk('losetup', [...args, file])).trim();
  const partitions: string[] = [];
  if (opts.partitions) {
    // This kernel's own scan may not read DOS tables; partx adds them through BLKPG (exit 1 if already there).
    await run('partx', ['-a', device]);
    const count = Number((await runOk('partx', ['-g', '-o', 'NR', device])).trim().split('\n').length);
    for (let n = 1; n <= count; n++) {
      partitions.push(`${device}p${n}`);
      await waitFor(`${device}p${n}`);
    }
  }
  let detached = false;
  return {
    device,
    partitions,
    async detach() {
      if (detached) return;
      detached = true;
      const r = await run('losetup', ['-d', device]);
      if (r.code !== 0 && !/No such device/i.test(r.stderr)) throw new Error(`losetup -d ${device}: ${r.stderr.trim()}`);
    },
  };
}

/** /sys/block/loopN/loop/dio: 1 when the loop device reads its backing file with O_DIRECT. */
export async function loopDirectIo(device: string): Promise<boolean> {
  const name = device.replace(/^\/dev\//, '');
  return (await readFile(`/sys/block/${name}/loop/dio`, 'utf8')).trim() === '1';
}
