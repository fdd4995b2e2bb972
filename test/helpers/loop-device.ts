// Loop devices for kernel-path tests. They are few and shared by everything on the machine:
// take a free one with `losetup -f --show`, and detach it by name when done.

import { readFile } from 'node:fs/promises';
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
  detach(): Promise<void>;
}

export async function attachLoop(file: string, opts: LoopOptions = {}): Promise<LoopDevice> {
  const args = ['-f', '--show'];
  if (opts.readOnly) args.push('-r');
  if (opts.directIo) args.push('--direct-io=on');
  if (opts.sectorSize) args.push('--sector-size', String(opts.sectorSize));
  if (opts.partitions) args.push('-P');
  const device = (await runOk('losetup', [...args, file])).trim();
  let detached = false;
  return {
    device,
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
