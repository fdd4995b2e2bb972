// The real listing: the whole disks under /sys/block and those drivelist (lsblk --json) reports,
// merged by kernel name and described by drivers/block/device-info.ts (size, sector sizes, ro,
// partitions, mounts, system disk). drivelist leaves out loop devices, so sysfs is needed anyway;
// when lsblk fails, sysfs carries the listing alone and a note says so.

import path from 'node:path';
import { list as drivelistList, type Drive as DrivelistDrive } from 'drivelist';
import { describePath, type BlockPathInfo } from '../block/device-info.ts';
import { SYSTEM_MOUNT_POINTS } from './destination.ts';
import { listBlockNames, readSysfsFacts, skipReason, type SysfsFacts } from './sysfs-identity.ts';
import type { Drive, DriveListing } from './types.ts';

export type { DrivelistDrive };

export interface ListOptions {
  /** Where sysfs is mounted (default /sys). describePath reads the real one whatever this says. */
  readonly sysRoot?: string;
  readonly devDir?: string;
  /** drivelist's list(); replaced in tests to make it fail. */
  readonly drivelist?: () => Promise<DrivelistDrive[]>;
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

async function describeDisk(devPath: string): Promise<BlockPathInfo | string> {
  try {
    const info = await describePath(devPath);
    return info.kind === 'block' ? info : `${devPath} is not a block device here (${info.kind})`;
  } catch (err) {
    return `cannot describe ${devPath}: ${oneLine(err)}`;
  }
}

async function factsOf(sysRoot: string, name: string): Promise<SysfsFacts | string> {
  try {
    return await readSysfsFacts(sysRoot, name);
  } catch (err) {
    return `sysfs for ${name}: ${oneLine(err)}`;
  }
}

function buildDrive(name: string, devPath: string, facts: SysfsFacts | undefined, info: BlockPathInfo | undefined, dl: DrivelistDrive | undefined, problem: string | null): Drive {
  const mountPoints = [...new Set([...(info?.mountPoints ?? []), ...(dl?.mountpoints.map((m) => m.path) ?? [])])];
  const dlBus = dl && dl.busType !== 'UNKNOWN' ? dl.busType.toLowerCase() : null;
  return {
    path: devPath,
    name,
    dev: info?.rdev ?? facts?.dev ?? null,
    size: info?.size ?? facts?.size ?? dl?.size ?? 0,
    logicalSectorSize: info?.logicalSectorSize ?? dl?.logicalBlockSize ?? 512,
    physicalSectorSize: info?.physicalSectorSize ?? dl?.blockSize ?? 512,
    readOnly: info?.readOnly ?? dl?.isReadOnly ?? false,
    // drivelist's isRemovable also counts hotplug ports and virtual devices; sysfs `removable` is the medium's.
    removable: facts?.devpath ? facts.removable : (dl?.isRemovable ?? false),
    transport: facts?.transport ?? dlBus,
    vendor: facts?.vendor ?? null,
    model: facts?.model ?? null,
    serial: facts?.serial ?? null,
    wwid: facts?.wwid ?? null,
    backingFile: facts?.backingFile ?? null,
    partitions: info?.partitions.map((p) => p.name) ?? [],
    mountPoints,
    // drivelist's isSystem means "not removable and not virtual", which any internal disk is: not used.
    systemDisk: (info?.systemDisk ?? false) || mountPoints.some((m) => SYSTEM_MOUNT_POINTS.includes(m)),
    description: dl?.description || null,
    problem,
  };
}

export async function listDrives(opts: ListOptions = {}): Promise<DriveListing> {
  const sysRoot = opts.sysRoot ?? '/sys';
  const devDir = opts.devDir ?? '/dev';
  const notes: string[] = [];
  const sysNames = await listBlockNames(sysRoot).catch((err: unknown) => {
    notes.push(`sysfs unreadable (${oneLine(err)}): listed from lsblk only`);
    return [] as string[];
  });
  const dlDrives = await (opts.drivelist ?? drivelistList)().catch((err: unknown) => {
    notes.push(`drivelist (lsblk) failed: ${oneLine(err)}; listed from sysfs only, without lsblk's descriptions`);
    return [] as DrivelistDrive[];
  });
  const byName = new Map(dlDrives.map((d) => [path.basename(d.raw || d.device), d]));
  const names = [...new Set([...sysNames, ...byName.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  const drives: Drive[] = [];
  for (const name of names) {
    const facts = await factsOf(sysRoot, name);
    const skip = typeof facts === 'string' ? (/^(zram|ram)\d+$/.test(name) ? 'a RAM disk' : null) : skipReason(facts);
    if (skip) continue;
    const devPath = path.join(devDir, name);
    const info = await describeDisk(devPath);
    const problems = [typeof facts === 'string' ? facts : null, typeof info === 'string' ? info : null].filter((p) => p !== null);
    drives.push(buildDrive(name, devPath, typeof facts === 'string' ? undefined : facts, typeof info === 'string' ? undefined : info, byName.get(name), problems.join('; ') || null));
  }
  return { drives, notes };
}
