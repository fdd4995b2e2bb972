// Refuse a destination (or mapfile) that would destroy the source, the system, or earlier work.
// Pure: the caller gathers PathInfos with drivers/block/device-info.ts and shows the reason as is.

import type { BlockPathInfo, DevNumber, PathInfo } from '../../drivers/block/device-info.ts';

export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface DestinationCheckInput {
  readonly source: PathInfo;
  readonly dest: PathInfo;
  /** A mapfile for this job already exists, so an existing image is being resumed. */
  readonly mapfileExists: boolean;
  /** Overwrite an existing image that has no mapfile. */
  readonly force: boolean;
}

const OK: CheckResult = { ok: true };

function refuse(reason: string): CheckResult {
  return { ok: false, reason };
}

/** The whole disk the source is read from, when it is a block device. */
function sourceDisk(source: PathInfo): DevNumber | undefined {
  return source.kind === 'block' ? source.disk.dev : undefined;
}

/** Same file (dev+ino) or same device node (rdev). */
function samePath(a: PathInfo, b: PathInfo): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.dev === b.dev && a.ino === b.ino;
  if (a.kind === 'block' && b.kind === 'block') return a.rdev === b.rdev;
  return false;
}

/** A file, or the place a new file would go, on a filesystem that lives on the source's disk. */
function onSourceDisk(source: PathInfo, target: PathInfo): boolean {
  const disk = sourceDisk(source);
  if (disk === undefined || (target.kind !== 'file' && target.kind !== 'missing')) return false;
  return target.fsDisks.includes(disk);
}

function sameDiskReason(source: BlockPathInfo, dest: BlockPathInfo): string | undefined {
  if (source.disk.dev !== dest.disk.dev) return undefined;
  if (dest.isPartition && !source.isPartition) {
    return `destination ${dest.path} is a partition of the source disk ${source.path}`;
  }
  if (!dest.isPartition && source.isPartition) {
    return `destination ${dest.path} is the disk that holds the source partition ${source.path}`;
  }
  return `destination ${dest.path} is on the same disk (${source.disk.name}) as the source ${source.path}`;
}

function checkBlockDest(source: PathInfo, dest: BlockPathInfo): CheckResult {
  if (source.kind === 'block') {
    const reason = sameDiskReason(source, dest);
    if (reason) return refuse(reason);
    if (dest.size < source.size) {
      return refuse(`destination ${dest.path} (${dest.size} bytes) is smaller than the source (${source.size} bytes)`);
    }
  } else if (source.kind === 'file' && dest.size < source.size) {
    return refuse(`destination ${dest.path} (${dest.size} bytes) is smaller than the source (${source.size} bytes)`);
  }
  if (dest.systemDisk) return refuse(`destination ${dest.path} is on the system disk (${dest.disk.name})`);
  if (dest.mounted) {
    return refuse(`destination ${dest.path} is in use (mounted at ${dest.mountPoints.join(', ')}); unmount it first`);
  }
  if (dest.readOnly) return refuse(`destination ${dest.path} is read-only`);
  return OK;
}

export function checkDestination(input: DestinationCheckInput): CheckResult {
  const { source, dest } = input;
  if (source.kind !== 'block' && source.kind !== 'file') {
    return refuse(`source ${source.path} is not a block device or an image file`);
  }
  if (samePath(source, dest)) return refuse(`destination ${dest.path} is the source itself`);
  switch (dest.kind) {
    case 'other':
      return refuse(`destination ${dest.path} is a ${dest.what}, not an image file or a block device`);
    case 'block':
      return checkBlockDest(source, dest);
    case 'file':
    case 'missing':
      if (onSourceDisk(source, dest)) {
        return refuse(`destination ${dest.path} is on a filesystem that lives on the source disk (${sourceDiskName(source)})`);
      }
      if (dest.kind === 'file' && dest.size > 0 && !input.mapfileExists && !input.force) {
        return refuse(
          `destination ${dest.path} already holds ${dest.size} bytes and there is no mapfile to resume from; use --force to overwrite it`,
        );
      }
      return OK;
  }
}

function sourceDiskName(source: PathInfo): string {
  return source.kind === 'block' ? source.disk.name : source.path;
}

export interface MapfileCheckInput {
  readonly source: PathInfo;
  readonly dest: PathInfo;
  readonly mapfile: PathInfo;
}

/** The mapfile must be a file (or a new one) of its own, and not on the failing source disk. */
export function checkMapfile(input: MapfileCheckInput): CheckResult {
  const { source, dest, mapfile } = input;
  if (samePath(mapfile, source) || mapfile.path === source.path) {
    return refuse(`mapfile ${mapfile.path} is the source`);
  }
  if (samePath(mapfile, dest) || mapfile.path === dest.path) {
    return refuse(`mapfile ${mapfile.path} is the destination`);
  }
  if (mapfile.kind === 'block' || mapfile.kind === 'other') {
    return refuse(`mapfile ${mapfile.path} is a ${mapfile.kind === 'block' ? 'block device' : mapfile.what}, not a file`);
  }
  if (onSourceDisk(source, mapfile)) {
    return refuse(`mapfile ${mapfile.path} is on a filesystem that lives on the source disk (${sourceDiskName(source)})`);
  }
  return OK;
}
