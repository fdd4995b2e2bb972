// The appliance on this host: every whole disk the kernel lists is a port named after its kernel
// name (sdb, nvme0n1, loop3), except the system disk and drives whose facts are incomplete. No
// relays unless a power switch is configured for a port.
import { join } from 'node:path';
import { homedir } from 'node:os';
import { openRescueSource } from '../../controller/commands/rescue-source.ts';
import type { Logger } from '../../controller/logger.ts';
import { realBindings } from '../../controller/preflight/real-bindings.ts';
import { wallPowerClock } from '../../drivers/power/cycle.ts';
import { DEFAULT_POWER_CYCLE, type PowerSwitch } from '../../drivers/power/types.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import { ApplianceStore } from './appliance-store.ts';
import { statfsFree } from './free-space.ts';

export interface HostEnvOptions {
  readonly log: Logger;
  readonly imagesDir?: string;
  readonly store?: ApplianceStore;
  /** Relays by port, where the box has them wired. */
  readonly powerSwitches?: Readonly<Record<string, PowerSwitch>>;
}

export function hostEnv(opts: HostEnvOptions): ApplianceEnv {
  const { log } = opts;
  return {
    log,
    bindings: realBindings({ log }),
    store: opts.store ?? new ApplianceStore(),
    imagesDir: opts.imagesDir ?? join(homedir(), 'imagebox-images'),
    portOf(drive) {
      if (drive.systemDisk || drive.problem !== null) return undefined;
      return drive.name;
    },
    // Tuned for a failing drive (kernel command timeout, readahead off) until closed, audit-logged.
    openSource: (path) => openRescueSource(path, undefined, undefined, { tune: true }),
    powerSwitch: (port) => opts.powerSwitches?.[port],
    powerTimings: DEFAULT_POWER_CYCLE,
    powerClock: wallPowerClock,
    freeBytes: statfsFree,
    spaceWatchMs: 5_000,
  };
}
