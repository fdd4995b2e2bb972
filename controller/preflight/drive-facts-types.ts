// What the box knows about one drive before anything is read from it: the shape the preflight,
// `imagebox inspect`, the panel and the acquisition record share.

import type { AtaBinding, HiddenAreas } from '../../drivers/ata/types.ts';
import type { WriteBlockProbe } from '../../drivers/blocker/probe.ts';
import type { WriteBlockReading, WriteBlockState } from '../../drivers/blocker/types.ts';
import type { DestinationVerdict } from '../../drivers/discovery/destination.ts';
import type { DiscoveryBinding, Drive } from '../../drivers/discovery/types.ts';
import type { SmartBinding, SmartIdentity, SmartReport } from '../../drivers/smart/types.ts';

/** The four ways of asking about a drive: real ones for the CLI, emulated ones for tests. */
export interface DriveBindings {
  readonly discovery: DiscoveryBinding;
  readonly smart: SmartBinding;
  readonly ata: AtaBinding;
  readonly blocker: WriteBlockProbe;
}

/** Where an identity field was taken from: smartctl, hdparm -I, or the kernel's listing (sysfs/lsblk). */
export type IdentitySource = 'smart' | 'hdparm' | 'discovery';

/** The identity fields mean what smartctl's do; capacity may also be the kernel's size of the device. */
export interface DriveIdentity
  extends Pick<SmartIdentity, 'model' | 'serial' | 'firmware' | 'capacityBytes' | 'logicalSectorSize' | 'physicalSectorSize' | 'rotationRpm'> {
  /** smartctl's words ("SATA 3.2 (6.0 Gb/s) via USB JMicron", "NVMe"), else the kernel's (usb, sata, nvme, loop). */
  readonly transport?: string;
  /** Which source gave each field present above. */
  readonly from: Readonly<Partial<Record<Exclude<keyof DriveIdentity, 'from'>, IdentitySource>>>;
}

export interface WriteBlockFacts {
  readonly readings: readonly WriteBlockReading[];
  readonly verdict: WriteBlockState;
}

export interface DriveFacts {
  /** The device asked about. */
  readonly device: string;
  /** ISO time the facts were gathered. */
  readonly at: string;
  /** Discovery's entry for it; undefined (with a note) when the listing has no such whole disk. */
  readonly drive: Drive | undefined;
  readonly identity: DriveIdentity;
  readonly writeBlock: WriteBlockFacts;
  readonly smart: SmartReport;
  readonly hidden: HiddenAreas;
  /** Whether an image may be written to it; refused when discovery does not know it. */
  readonly destination: DestinationVerdict;
  /** One line each: what could not be learned, and why. */
  readonly notes: readonly string[];
}
