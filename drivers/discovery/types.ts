// What discovery says about a drive, and the binding that lists and watches them. A drive here is
// a whole disk (never a partition): the unit an operator plugs in, images, or writes an image to.

import type { DevNumber } from '../block/proc-parse.ts';

export interface Drive {
  /** /dev/sdb */
  readonly path: string;
  /** Kernel name: sdb, nvme0n1, loop3. */
  readonly name: string;
  /** MAJ:MIN, or null when sysfs could not be read. */
  readonly dev: DevNumber | null;
  /** Bytes. */
  readonly size: number;
  readonly logicalSectorSize: number;
  readonly physicalSectorSize: number;
  readonly readOnly: boolean;
  readonly removable: boolean;
  /** usb, ata, nvme, scsi, sas, virtio, mmc, loop…; null when neither sysfs nor lsblk could tell. */
  readonly transport: string | null;
  readonly vendor: string | null;
  readonly model: string | null;
  readonly serial: string | null;
  readonly wwid: string | null;
  /** A loop device's backing file. */
  readonly backingFile: string | null;
  /** Kernel names of its partitions. */
  readonly partitions: readonly string[];
  /** Where the disk, its partitions or anything stacked on them is mounted; "[swap]" for active swap. */
  readonly mountPoints: readonly string[];
  /** Holds /, /boot or an active swap. */
  readonly systemDisk: boolean;
  /** lsblk's words for it (label, vendor, model), when drivelist listed it. */
  readonly description: string | null;
  /**
   * Why the facts above are incomplete (no /dev node, unreadable sysfs…), else null. An incomplete
   * drive is never offered as a destination: its mounts and system role are unknown.
   */
  readonly problem: string | null;
}

export interface DriveListing {
  readonly drives: readonly Drive[];
  /** One line each: what failed while listing and what was used instead. */
  readonly notes: readonly string[];
}

export type DriveEvent =
  | { readonly type: 'attach'; readonly drive: Drive }
  | { readonly type: 'detach'; readonly drive: Drive }
  | { readonly type: 'change'; readonly drive: Drive; readonly previous: Drive; readonly changed: readonly (keyof Drive)[] };

export interface WatchOptions {
  /** Stops watching; `stopped` settles once every watcher and timer is gone. */
  readonly signal: AbortSignal;
  readonly onEvent: (event: DriveEvent) => void;
  /** A listing's notes, when they differ from the previous listing's. */
  readonly onNotes?: (notes: readonly string[]) => void;
}

export interface DriveWatch {
  /** The first listing: events report changes against it. */
  readonly ready: Promise<DriveListing>;
  readonly stopped: Promise<void>;
}

export interface DiscoveryBinding {
  list(): Promise<DriveListing>;
  watch(opts: WatchOptions): DriveWatch;
}
