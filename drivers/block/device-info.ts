// What a path is, as the preflight checks need it: a block device (with its disk, partitions,
// mounts and whether the system runs from it), an image file (and the device its filesystem lives
// on), or nothing yet (and the device that would hold it). Facts come from stat, sysfs,
// /proc/self/mountinfo and /proc/swaps.

import fs from 'node:fs/promises';
import path from 'node:path';
import { devNumberOf, majorOf, parseMountinfo, parseSwaps, type DevNumber, type MountEntry } from './proc-parse.ts';
import { blockGeometry, devOfDir, diskDirOf, dirOfName, listNames, partitionDirsOf, sysDir } from './sysfs.ts';

export type { DevNumber } from './proc-parse.ts';

export interface BlockRef {
  /** Kernel name, e.g. "sda1". */
  readonly name: string;
  readonly dev: DevNumber;
}

export interface BlockPathInfo {
  readonly kind: 'block';
  readonly path: string;
  /** The device number of the node itself (st_rdev). */
  readonly rdev: DevNumber;
  readonly name: string;
  readonly size: number;
  readonly logicalSectorSize: number;
  readonly physicalSectorSize: number;
  readonly readOnly: boolean;
  /** The whole disk: the partition's parent, or the device itself. */
  readonly disk: BlockRef;
  readonly isPartition: boolean;
  /** The whole disk's partitions. */
  readonly partitions: readonly BlockRef[];
  /** Where this device, its partitions, or anything stacked on them (holders) is mounted; "[swap]" for active swap. */
  readonly mountPoints: readonly string[];
  readonly mounted: boolean;
  /** Its whole disk holds '/', /boot or an active swap. */
  readonly systemDisk: boolean;
}

export interface FilePathInfo {
  readonly kind: 'file';
  readonly path: string;
  /** The device of the filesystem holding the file (st_dev). */
  readonly dev: DevNumber;
  readonly ino: string;
  readonly size: number;
  /** The whole disks under that filesystem (through partitions and stacked devices); empty for tmpfs and the like. */
  readonly fsDisks: readonly DevNumber[];
}

export interface MissingPathInfo {
  readonly kind: 'missing';
  readonly path: string;
  /** The filesystem of the nearest existing parent directory, where the path would be created. */
  readonly dev: DevNumber | undefined;
  readonly fsDisks: readonly DevNumber[];
}

export interface OtherPathInfo {
  readonly kind: 'other';
  readonly path: string;
  /** "directory", "character device", "fifo", "socket". */
  readonly what: string;
}

export type PathInfo = BlockPathInfo | FilePathInfo | MissingPathInfo | OtherPathInfo;

/** The system's mounts and swaps, read once per describePath(). */
interface SystemView {
  readonly mounts: readonly MountEntry[];
  /** Device numbers of active swap partitions. */
  readonly swapDevs: readonly DevNumber[];
}

async function readSystemView(): Promise<SystemView> {
  const mounts = parseMountinfo(await fs.readFile('/proc/self/mountinfo', 'utf8'));
  const swapDevs: DevNumber[] = [];
  for (const s of parseSwaps(await fs.readFile('/proc/swaps', 'utf8'))) {
    const dev = await rdevOf(s.filename);
    if (dev !== undefined) swapDevs.push(dev);
  }
  return { mounts, swapDevs };
}

async function rdevOf(p: string): Promise<DevNumber | undefined> {
  try {
    const st = await fs.stat(p, { bigint: true });
    return st.isBlockDevice() ? devNumberOf(st.rdev) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The block device behind a mount. btrfs and similar report an anonymous 0:N in mountinfo and
 * st_dev; their mount source then names the device.
 */
async function mountDevice(m: MountEntry): Promise<DevNumber | undefined> {
  if (majorOf(m.dev) !== 0) return m.dev;
  return m.source.startsWith('/dev/') ? rdevOf(m.source) : undefined;
}

/** A device and everything stacked on it (holders: device-mapper, md, …), recursively. */
async function withHolders(dir: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const out = [dir];
  for (const name of await listNames(path.join(dir, 'holders'))) {
    out.push(...(await withHolders(await dirOfName(name), seen)));
  }
  return out;
}

/** The whole disks a device sits on: its own disk, or through slaves/ for stacked devices. */
async function disksUnder(dir: string, seen = new Set<string>()): Promise<DevNumber[]> {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const slaves = await listNames(path.join(dir, 'slaves'));
  if (slaves.length === 0) return [await devOfDir(await diskDirOf(dir))];
  const out: DevNumber[] = [];
  for (const name of slaves) out.push(...(await disksUnder(await dirOfName(name), seen)));
  return [...new Set(out)];
}

async function fsDisksOf(dev: DevNumber, view: SystemView, filePath: string): Promise<DevNumber[]> {
  let blockDev: DevNumber | undefined = dev;
  if (majorOf(dev) === 0) {
    // An anonymous device: take the mount holding the path, and the device its source names.
    const holder = mountOf(view.mounts, filePath);
    blockDev = holder ? await mountDevice(holder) : undefined;
  }
  if (blockDev === undefined) return [];
  try {
    return await disksUnder(await sysDir(blockDev));
  } catch {
    return [];
  }
}

/** The mount whose mount point is the longest prefix of an absolute, resolved path. */
function mountOf(mounts: readonly MountEntry[], p: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const mp = m.mountPoint;
    const inside = p === mp || p.startsWith(mp.endsWith('/') ? mp : mp + '/');
    if (inside && (!best || mp.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

async function refOfDir(dir: string): Promise<BlockRef> {
  return { name: path.basename(dir), dev: await devOfDir(dir) };
}

/** Mount points of any of the devices (and "[swap]" when one is active swap). */
async function mountPointsOf(devs: ReadonlySet<DevNumber>, view: SystemView): Promise<string[]> {
  const points: string[] = [];
  for (const m of view.mounts) {
    const d = await mountDevice(m);
    if (d !== undefined && devs.has(d)) points.push(m.mountPoint);
  }
  if (view.swapDevs.some((d) => devs.has(d))) points.push('[swap]');
  return points;
}

async function describeBlock(p: string, rdev: DevNumber, view: SystemView): Promise<BlockPathInfo> {
  const dir = await sysDir(rdev);
  const diskDir = await diskDirOf(dir);
  const geometry = await blockGeometry(rdev);
  const partitionDirs = await partitionDirsOf(diskDir);

  // This device's own footprint: itself, its partitions when it is a disk, and their holders.
  const ownDirs = diskDir === dir ? [dir, ...partitionDirs] : [dir];
  const ownDevs = new Set<DevNumber>();
  for (const d of ownDirs) for (const h of await withHolders(d)) ownDevs.add(await devOfDir(h));

  const diskDevs = new Set<DevNumber>();
  for (const d of [diskDir, ...partitionDirs]) for (const h of await withHolders(d)) diskDevs.add(await devOfDir(h));
  const systemMounts = view.mounts.filter((m) => m.mountPoint === '/' || m.mountPoint === '/boot');
  let systemDisk = view.swapDevs.some((d) => diskDevs.has(d));
  for (const m of systemMounts) {
    const d = await mountDevice(m);
    if (d !== undefined && diskDevs.has(d)) systemDisk = true;
  }

  const mountPoints = await mountPointsOf(ownDevs, view);
  const partitions: BlockRef[] = [];
  for (const d of partitionDirs) partitions.push(await refOfDir(d));
  return {
    kind: 'block',
    path: p,
    rdev,
    name: path.basename(dir),
    size: geometry.size,
    logicalSectorSize: geometry.logicalSectorSize,
    physicalSectorSize: geometry.physicalSectorSize,
    readOnly: geometry.readOnly,
    disk: await refOfDir(diskDir),
    isPartition: diskDir !== dir,
    partitions,
    mountPoints,
    mounted: mountPoints.length > 0,
    systemDisk,
  };
}

function otherKind(st: { isDirectory(): boolean; isCharacterDevice(): boolean; isFIFO(): boolean }): string {
  if (st.isDirectory()) return 'directory';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

/** The nearest existing ancestor directory of a path that does not exist. */
async function existingParent(p: string): Promise<{ dir: string; dev: DevNumber } | undefined> {
  let dir = path.dirname(path.resolve(p));
  for (;;) {
    try {
      const st = await fs.stat(dir, { bigint: true });
      return { dir: await fs.realpath(dir), dev: devNumberOf(st.dev) };
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }
}

export async function describePath(p: string): Promise<PathInfo> {
  const view = await readSystemView();
  let st;
  try {
    st = await fs.stat(p, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const parent = await existingParent(p);
    return {
      kind: 'missing',
      path: p,
      dev: parent?.dev,
      fsDisks: parent ? await fsDisksOf(parent.dev, view, parent.dir) : [],
    };
  }
  if (st.isBlockDevice()) return describeBlock(p, devNumberOf(st.rdev), view);
  if (st.isFile()) {
    const dev = devNumberOf(st.dev);
    return {
      kind: 'file',
      path: p,
      dev,
      ino: st.ino.toString(),
      size: Number(st.size),
      fsDisks: await fsDisksOf(dev, view, await fs.realpath(p)),
    };
  }
  return { kind: 'other', path: p, what: otherKind(st) };
}
