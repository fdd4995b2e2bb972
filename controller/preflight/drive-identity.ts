// A drive's identity from whoever knows it best: smartctl speaks to the drive itself (through a
// bridge too), hdparm -I reads the same IDENTIFY data, and the kernel's listing (sysfs, lsblk) is
// what is left when neither answered, as for loop devices and bridges without pass-through. Pure.

import type { HiddenAreas } from '../../drivers/ata/types.ts';
import type { Drive } from '../../drivers/discovery/types.ts';
import type { SmartReport } from '../../drivers/smart/types.ts';
import type { DriveIdentity, IdentitySource } from './drive-facts-types.ts';

type Field = Exclude<keyof DriveIdentity, 'from'>;
type Candidate = Partial<Record<Field, string | number | undefined>>;

function fromSmart(smart: SmartReport): Candidate {
  if (!smart.available) return {};
  // Only the fields in FIELDS are read; smartctl's words for the interface stand for the transport.
  const { interface: transport, ...rest } = smart.identity;
  return { ...rest, transport };
}

function fromHdparm(hidden: HiddenAreas): Candidate {
  if (hidden.kind !== 'ata' || !hidden.identity) return {};
  const id = hidden.identity;
  return {
    model: id.model,
    serial: id.serial,
    firmware: id.firmware,
    // IDENTIFY's visible capacity, as -N counted it, in the drive's logical sectors.
    capacityBytes: hidden.visibleBytes,
    logicalSectorSize: id.logicalSectorSize,
    physicalSectorSize: id.physicalSectorSize,
    transport: id.transport,
  };
}

function fromDiscovery(drive: Drive | undefined): Candidate {
  if (!drive) return {};
  return {
    // sysfs pads vendor and model; "ATA" as a vendor is libata's placeholder, not a maker.
    model: [drive.vendor === 'ATA' ? null : drive.vendor, drive.model].filter(Boolean).join(' ') || undefined,
    serial: drive.serial ?? undefined,
    capacityBytes: drive.size > 0 ? drive.size : undefined,
    logicalSectorSize: drive.logicalSectorSize,
    physicalSectorSize: drive.physicalSectorSize,
    transport: drive.transport ?? undefined,
  };
}

const FIELDS: readonly Field[] = ['model', 'serial', 'firmware', 'capacityBytes', 'logicalSectorSize', 'physicalSectorSize', 'rotationRpm', 'transport'];

/** Each field from the first source that has it: smartctl, then hdparm -I, then discovery. */
export function mergeIdentity(smart: SmartReport, hidden: HiddenAreas, drive: Drive | undefined): DriveIdentity {
  const sources: readonly [IdentitySource, Candidate][] = [
    ['smart', fromSmart(smart)],
    ['hdparm', fromHdparm(hidden)],
    ['discovery', fromDiscovery(drive)],
  ];
  const out: Record<string, string | number> = {};
  const from: Partial<Record<Field, IdentitySource>> = {};
  for (const field of FIELDS) {
    for (const [source, c] of sources) {
      const v = c[field];
      if (v === undefined || v === '') continue;
      out[field] = typeof v === 'string' ? v.trim() : v;
      from[field] = source;
      break;
    }
  }
  return { ...(out as Omit<DriveIdentity, 'from'>), from };
}
