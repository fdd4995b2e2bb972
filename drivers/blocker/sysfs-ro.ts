// The kernel's read-only flag as sysfs shows it, read under a sysfs root that tests can point at a
// fake tree. A partition is read-only when its own flag or its whole disk's is set: kernels before
// 5.12 printed only the partition's own flag in its `ro`, so both are read.

import fs from 'node:fs/promises';
import path from 'node:path';
import { devNumberOf } from '../block/proc-parse.ts';

export const SYS_ROOT = '/sys';

export interface RoFlags {
  /** Kernel name, e.g. "sdb1". */
  readonly name: string;
  readonly ro: boolean;
  /** The whole disk's flag, when `name` is a partition. */
  readonly disk?: { readonly name: string; readonly ro: boolean };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

async function readFlag(file: string): Promise<boolean> {
  const text = (await fs.readFile(file, 'utf8')).trim();
  if (text !== '0' && text !== '1') throw new Error(`${file}: expected 0 or 1, got ${JSON.stringify(text)}`);
  return text === '1';
}

/** The kernel name of a block device node, through its device number (so /dev/disk/by-id links work). */
export async function blockNameOf(dev: string, sysRoot = SYS_ROOT): Promise<string> {
  try {
    const st = await fs.stat(dev, { bigint: true });
    if (st.isBlockDevice()) {
      const link = path.join(sysRoot, 'dev', 'block', devNumberOf(st.rdev));
      if (await exists(link)) return path.basename(await fs.realpath(link));
    }
  } catch {
    // not a node on this host: a fake sysfs tree names its devices by kernel name
  }
  const name = path.basename(dev);
  if (await exists(path.join(sysRoot, 'class', 'block', name))) return name;
  throw new Error(`${dev}: not a block device known to ${sysRoot}`);
}

/** The device's directory under <sysRoot>/devices (…/block/sdb, or …/block/sdb/sdb1). */
export async function blockDirOf(name: string, sysRoot = SYS_ROOT): Promise<string> {
  return fs.realpath(path.join(sysRoot, 'class', 'block', name));
}

export async function readRoFlags(name: string, sysRoot = SYS_ROOT): Promise<RoFlags> {
  const dir = await blockDirOf(name, sysRoot);
  const ro = await readFlag(path.join(dir, 'ro'));
  if (!(await exists(path.join(dir, 'partition')))) return { name, ro };
  const diskDir = path.dirname(dir);
  return { name, ro, disk: { name: path.basename(diskDir), ro: await readFlag(path.join(diskDir, 'ro')) } };
}

/** Read-only through the block layer: the device's own flag, or its whole disk's. */
export function roEffective(flags: RoFlags): boolean {
  return flags.ro || (flags.disk?.ro ?? false);
}

/** How the flags were read, in words for the acquisition record. */
export function describeRoFlags(flags: RoFlags): string {
  const own = `sysfs ${flags.name}/ro = ${flags.ro ? 1 : 0}`;
  return flags.disk ? `${own}, whole disk ${flags.disk.name}/ro = ${flags.disk.ro ? 1 : 0}` : own;
}
