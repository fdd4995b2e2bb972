// Emulated bindings for gatherDriveFacts: one drive (or none) on each, as a test describes it.

import { pino } from 'pino';
import { emulatedAtaBinding, EmulatedAtaDrive, type EmulatedAtaDriveSpec } from '../../../drivers/ata/emulated.ts';
import type { AtaBinding } from '../../../drivers/ata/types.ts';
import { EmulatedBlockers, type EmulatedBridge } from '../../../drivers/blocker/emulated-probe.ts';
import type { WriteBlockProbe } from '../../../drivers/blocker/probe.ts';
import { emulatedDiscovery, emulatedDrive } from '../../../drivers/discovery/emulated.ts';
import type { Drive } from '../../../drivers/discovery/types.ts';
import { createEmulatedSmart, type EmulatedSmartDevice } from '../../../drivers/smart/emulated.ts';
import type { DriveBindings } from '../../../controller/preflight/drive-facts-types.ts';

export interface EmulatedSetup {
  readonly device: string;
  /** Discovery's facts; omitted: discovery does not list the device. */
  readonly drive?: Partial<Drive>;
  /** What smartctl answers; omitted: the device is unknown to it. */
  readonly smart?: EmulatedSmartDevice;
  readonly smartctlInstalled?: boolean;
  /** The ATA side; omitted: hdparm finds no such device. */
  readonly ata?: EmulatedAtaDriveSpec;
  /** Replaces the emulated hdparm (a missing tool, one that throws). */
  readonly ataBinding?: AtaBinding;
  /** The kernel flag and USB bridge; omitted: the blocker probe does not know the device. */
  readonly blocker?: { readonly ro: boolean; readonly bridge?: EmulatedBridge };
  /** Replaces the emulated write-block probe. */
  readonly probe?: WriteBlockProbe;
}

export function emulatedBindings(s: EmulatedSetup): DriveBindings {
  const name = s.device.replace(/^\/dev\//, '');
  const blockers = new EmulatedBlockers();
  if (s.blocker) blockers.addDisk(s.device, s.blocker);
  return {
    discovery: emulatedDiscovery(s.drive ? [emulatedDrive({ name, ...s.drive })] : []),
    smart: createEmulatedSmart({ devices: s.smart ? { [s.device]: s.smart } : {}, installed: s.smartctlInstalled }),
    ata: s.ataBinding ?? emulatedAtaBinding(s.ata ? { [s.device]: new EmulatedAtaDrive(s.ata) } : {}),
    blocker: s.probe ?? blockers.probe({ audit: pino({ level: 'silent' }) }),
  };
}
