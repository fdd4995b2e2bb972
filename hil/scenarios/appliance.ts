// The emulated appliance: an ApplianceEnv over the emulated drivers, for `imagebox --demo` and the
// fault tests. Each port holds an emulated drive (hil/scenarios/appliance-ports.ts) that every
// binding sees the same way (discovery, smartctl from a real recording, hdparm, the write-block
// probe), that reads take real time on (paced drive-time), and that can be pulled, plugged back,
// flipped read-only from outside, or power-cycled through a USB HID relay. Every open of a port
// reads one drive model while the drive stays attached, so a drive that stopped answering does so
// for a probe too; it starts afresh (same seed, same bytes) each time it gets power back.
import { silentLogger, type Logger } from '../../controller/logger.ts';
import { emulatedAtaBinding, type EmulatedAtaDrive } from '../../drivers/ata/emulated.ts';
import { EmulatedBlockers } from '../../drivers/blocker/emulated-probe.ts';
import { emulatedDiscovery } from '../../drivers/discovery/emulated.ts';
import { wallPowerClock, type PowerClock } from '../../drivers/power/cycle.ts';
import type { PowerCycleTimings, PowerSwitch } from '../../drivers/power/types.ts';
import { usbHidRelay } from '../../drivers/power/usb-hid-relay.ts';
import type { EmulatedUsbRelayBoard } from '../../drivers/power/usb-relay-emulated.ts';
import { createEmulatedSmart } from '../../drivers/smart/emulated.ts';
import type { ApplianceEnv } from '../../machines/actors/appliance-env.ts';
import { ApplianceStore } from '../../machines/actors/appliance-store.ts';
import { statfsFree } from '../../machines/actors/free-space.ts';
import { DriveModel } from '../drive-model.ts';
import { parseEmuUrl } from '../emu-url.ts';
import { describePort, portDrive, portSpecs, type EmulatedPortOverride, type PortDrive } from './appliance-ports.ts';
import { openModelSource, openPortSource } from './port-source.ts';
import { PortRelayBoard, relayBoardId } from './port-relay.ts';

/** Drive-time per wall second: a rescue of port 2's 32 MiB dead-head drive takes about 23 s (measured). */
export const DEFAULT_SPEED = 2500;
/** Short enough to watch in the demo; a real drive wants 3 s off and 15 s to spin up. */
export const DEMO_POWER_TIMINGS: PowerCycleTimings = { offMs: 1_500, settleMs: 3_000 };

export interface EmulatedApplianceOptions {
  readonly imagesDir: string;
  readonly log?: Logger;
  readonly store?: ApplianceStore;
  /** Drive-time per wall second for reads; 0 reads unpaced (hangs then take no wall time). */
  readonly speed?: number;
  /** Ports to change or add (an emu:hang drive with a relay, say). */
  readonly ports?: readonly EmulatedPortOverride[];
  readonly spaceWatchMs?: number;
  readonly powerTimings?: PowerCycleTimings;
  readonly powerClock?: PowerClock;
  readonly factsTimeoutMs?: number;
}

export interface EmulatedAppliance {
  readonly env: ApplianceEnv;
  /** Port names, in panel order. */
  readonly ports: readonly string[];
  /** Pull the drive's cable: it leaves every binding, open sources fail with ENXIO. */
  unplug(port: string): void;
  /** Plug it back: the same drive (serial, bytes) attaches again. */
  plug(port: string): void;
  /** `blockdev --setro/--setrw` from another shell. */
  setKernelRo(port: string, ro: boolean): void;
  /** The relay board switching the port's drive power, if it has one. */
  relay(port: string): EmulatedUsbRelayBoard | undefined;
  /** One line per port: what is on it. */
  summary(): string[];
  close(): Promise<void>;
}

interface PortState {
  readonly drive: PortDrive;
  cable: boolean;
  power: boolean;
  /** Whether the bindings have the drive now. */
  attached: boolean;
  departures: number;
  /** The drive's state (clock, vanished, head) since it last got power; made at the first open. */
  model?: DriveModel;
  board?: PortRelayBoard;
  sw?: PowerSwitch;
}

export function emulatedAppliance(opts: EmulatedApplianceOptions): EmulatedAppliance {
  const root = opts.log ?? silentLogger();
  const log = root.child({ component: 'emulated-appliance' });
  const speed = opts.speed ?? DEFAULT_SPEED;
  const states = new Map<string, PortState>();
  const byPath = new Map<string, PortState>();
  for (const spec of portSpecs(opts.ports)) {
    if (states.has(spec.port)) throw new Error(`port ${spec.port} given twice`);
    const st: PortState = { drive: portDrive(spec), cable: true, power: true, attached: false, departures: 0 };
    states.set(spec.port, st);
    byPath.set(st.drive.path, st);
  }

  const ataDrives: Record<string, EmulatedAtaDrive> = {};
  const smart = createEmulatedSmart({ log: root.child({ component: 'smart' }) });
  const blockers = new EmulatedBlockers();
  const discovery = emulatedDiscovery();

  const arrive = (st: PortState): void => {
    const { drive } = st;
    const ro = drive.spec.ro ?? false;
    if (st.departures > 0) drive.ata.powerCycle(); // it lost power while away: volatile settings are gone
    ataDrives[drive.path] = drive.ata;
    smart.plug(drive.path, { output: drive.smart.output });
    blockers.addDisk(drive.path, { ro, bridge: drive.spec.bridge });
    // Last: once discovery shows it, every other binding answers for it.
    discovery.attach(drive.listing(ro));
    st.attached = true;
  };
  const leave = (st: PortState): void => {
    const { drive } = st;
    st.departures++;
    st.attached = false;
    st.model = undefined;
    discovery.detach(drive.name);
    delete ataDrives[drive.path];
    smart.unplug(drive.path);
    blockers.remove(drive.path);
  };
  const sync = (st: PortState, why: string): void => {
    const present = st.cable && st.power;
    if (present === st.attached) return;
    if (present) arrive(st);
    else leave(st);
    log.info({ port: st.drive.spec.port, drive: st.drive.path, present, why }, present ? 'drive on the bus' : 'drive off the bus');
  };
  const portState = (port: string): PortState => {
    const st = states.get(port);
    if (!st) throw new Error(`no port ${port} (ports: ${[...states.keys()].join(', ')})`);
    return st;
  };

  for (const st of states.values()) {
    if (st.drive.spec.relay) {
      const board = new PortRelayBoard(relayBoardId(st.drive.spec.port), (on) => {
        st.power = on;
        sync(st, on ? 'power on' : 'power off');
      });
      st.board = board;
      st.sw = usbHidRelay({ pipe: board, relay: 1, id: board.id, log: root.child({ component: 'relay' }) });
    }
    sync(st, 'power-up');
  }

  const opened = new Set<{ close(): Promise<void> }>();
  const env: ApplianceEnv = {
    log: root,
    bindings: {
      discovery,
      smart,
      ata: emulatedAtaBinding(ataDrives),
      blocker: blockers.probe({ audit: root.child({ component: 'write-block' }) }),
    },
    store: opts.store ?? new ApplianceStore(),
    imagesDir: opts.imagesDir,
    portOf: (drive) => byPath.get(drive.path)?.drive.spec.port,
    async openSource(drivePath) {
      const st = byPath.get(drivePath);
      if (!st) throw Object.assign(new Error(`open ${drivePath}: No such file or directory`), { code: 'ENOENT' });
      const source = await openPortSource(
        drivePath,
        () => ({ present: st.attached, departures: st.departures }),
        async () => {
          st.model ??= new DriveModel(parseEmuUrl(st.drive.spec.url));
          return openModelSource(st.model, st.drive.spec.url, speed > 0 ? speed : undefined);
        },
      );
      opened.add(source.source);
      return source;
    },
    powerSwitch: (port) => states.get(port)?.sw,
    powerTimings: opts.powerTimings ?? DEMO_POWER_TIMINGS,
    powerClock: opts.powerClock ?? wallPowerClock,
    freeBytes: statfsFree,
    spaceWatchMs: opts.spaceWatchMs ?? 1_000,
    factsTimeoutMs: opts.factsTimeoutMs ?? 5_000,
  };

  return {
    env,
    ports: [...states.keys()],
    unplug(port) {
      const st = portState(port);
      st.cable = false;
      sync(st, 'cable pulled');
    },
    plug(port) {
      const st = portState(port);
      st.cable = true;
      sync(st, 'cable plugged');
    },
    setKernelRo(port, ro) {
      const st = portState(port);
      if (!st.attached) throw new Error(`port ${port}: no drive attached`);
      blockers.setRoExternally(st.drive.path, ro);
      discovery.update(st.drive.name, { readOnly: ro });
      log.info({ port, drive: st.drive.path, ro }, 'kernel read-only flag changed from outside');
    },
    relay: (port) => states.get(port)?.board,
    summary: () => [...states.values()].map((st) => describePort(st.drive)),
    async close() {
      await Promise.allSettled([...opened].map((s) => s.close()));
      opened.clear();
      await Promise.allSettled([...states.values()].map((st) => st.sw?.close()));
    },
  };
}
