// Block device facts from /sys/dev/block/MAJ:MIN. A block device's st_size is 0, so sysfs is the
// authority on size and sector sizes. Partitions have no queue/ of their own: their disk's applies.

import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDevAttr, parseSysfsInt, type DevNumber } from './proc-parse.ts';

const SYS_DEV_BLOCK = '/sys/dev/block';

export interface BlockGeometry {
  /** Bytes. sysfs `size` counts 512-byte units whatever the logical sector size. */
  readonly size: number;
  readonly logicalSectorSize: number;
  readonly physicalSectorSize: number;
  readonly readOnly: boolean;
}

/** The device's directory under /sys/devices (…/block/sda, or …/block/sda/sda1 for a partition). */
export async function sysDir(dev: DevNumber): Promise<string> {
  return fs.realpath(path.join(SYS_DEV_BLOCK, dev));
}

async function readInt(file: string): Promise<number> {
  return parseSysfsInt(await fs.readFile(file, 'utf8'), file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function isPartitionDir(dir: string): Promise<boolean> {
  return exists(path.join(dir, 'partition'));
}

/** The whole-disk directory: the parent of a partition, or the directory itself. */
export async function diskDirOf(dir: string): Promise<string> {
  return (await isPartitionDir(dir)) ? path.dirname(dir) : dir;
}

export async function devOfDir(dir: string): Promise<DevNumber> {
  return parseDevAttr(await fs.readFile(path.join(dir, 'dev'), 'utf8'));
}

export async function blockGeometry(dev: DevNumber): Promise<BlockGeometry> {
  const dir = await sysDir(dev);
  const queue = path.join(await diskDirOf(dir), 'queue');
  return {
    size: (await readInt(path.join(dir, 'size'))) * 512,
    logicalSectorSize: await readInt(path.join(queue, 'logical_block_size')),
    physicalSectorSize: await readInt(path.join(queue, 'physical_block_size')),
    readOnly: (await readInt(path.join(dir, 'ro'))) !== 0,
  };
}

/** Names listed in a sysfs link directory such as holders/ or slaves/ (empty when it is missing). */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/** Partition directories directly under a whole-disk directory. */
export async function partitionDirsOf(diskDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await listNames(diskDir)) {
    const dir = path.join(diskDir, name);
    if (await isPartitionDir(dir)) found.push(dir);
  }
  return found.sort();
}

/** The device directory of a block device known by its kernel name (as holders/ and slaves/ list them). */
export async function dirOfName(name: string): Promise<string> {
  return fs.realpath(path.join('/sys/class/block', name));
}
