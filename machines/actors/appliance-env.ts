// What the appliance's actors need from the world: the drive bindings, how to open a port's drive
// for reading, its power switch, the destination's free space, and where things are written. The
// host (host-env.ts) and the emulated appliance (hil/scenarios/appliance.ts) each build one; the
// actors (appliance-actors.ts) never know which they run on.
import type { OpenedSource } from '../../controller/commands/rescue-source.ts';
import type { Logger } from '../../controller/logger.ts';
import type { DriveBindings } from '../../controller/preflight/drive-facts-types.ts';
import type { Drive } from '../../drivers/discovery/types.ts';
import type { PowerClock } from '../../drivers/power/cycle.ts';
import type { PowerCycleTimings, PowerSwitch } from '../../drivers/power/types.ts';
import type { ApplianceStore } from './appliance-store.ts';

export interface ApplianceEnv {
  readonly log: Logger;
  /** Discovery (the drive feed), SMART, hdparm and the write-block probe. */
  readonly bindings: DriveBindings;
  readonly store: ApplianceStore;
  /** Where the wizard proposes images: `imagesDir/portN-SERIAL-YYYYMMDD-HHMM`. */
  readonly imagesDir: string;
  /** The port a drive sits on; undefined when it is not offered (the system disk, a loop device of our own). */
  portOf(drive: Drive): string | undefined;
  /** Opens a port's drive for reading only (never for writing). */
  openSource(drivePath: string): Promise<OpenedSource>;
  /** The relay switching this port's source power, if it has one. */
  powerSwitch(port: string): PowerSwitch | undefined;
  readonly powerTimings: PowerCycleTimings;
  readonly powerClock: PowerClock;
  /** Free bytes on the filesystem holding path (its nearest existing parent). */
  freeBytes(path: string): Promise<number>;
  /** How often a paused job looks at the destination's free space. */
  readonly spaceWatchMs: number;
  /** Bounds on the preflight steps, ms (smaller on the emulated box). */
  readonly factsTimeoutMs?: number;
}
