// What sits on each port of the emulated appliance: an emulated drive (its data and damage as an
// emu: URL), the smartctl recording that answers for it, and what stands between it and the host
// (a kernel read-only flag, a forensic bridge, a power relay, an HPA). The default four ports give
// the panel one case each: a drive with no write block, a failing drive to recover, a drive behind
// a forensic bridge, and a drive hiding sectors.
import { EmulatedAtaDrive } from '../../drivers/ata/emulated.ts';
import type { EmulatedBridge } from '../../drivers/blocker/emulated-probe.ts';
import { emulatedDrive } from '../../drivers/discovery/emulated.ts';
import type { Drive } from '../../drivers/discovery/types.ts';
import { parseEmuUrl } from '../emu-url.ts';
import { formatSize } from '../sizes.ts';
import { loadRecording, type FittedRecording } from './recorded-smart.ts';

export interface EmulatedPortSpec {
  /** The port's name, as the panel shows it ('1'..'4'). */
  readonly port: string;
  /** The drive's data and damage; its size is what the host sees (below any HPA). */
  readonly url: string;
  /** The smartctl answer, a file in hil/recordings/. */
  readonly recording: string;
  /** Sectors a Host Protected Area hides past the visible size (default none). */
  readonly hpaSectors?: number;
  /** The kernel read-only flag each time the drive attaches (the box's rule for that port). */
  readonly ro?: boolean;
  /** A USB bridge between the port and the drive. */
  readonly bridge?: EmulatedBridge;
  /** A USB HID relay switches the drive's power. */
  readonly relay?: boolean;
}

/** A port to change or add: a known port keeps whatever is not given; a new one needs url and recording. */
export type EmulatedPortOverride = Partial<EmulatedPortSpec> & { readonly port: string };

/** Tableau T8-R2 (13d7:000c): write-blocking by design; the serial is the one in test/fixtures/blocker. */
export const TABLEAU_T8_R2: EmulatedBridge = {
  usb: {
    vendorId: 0x13d7, productId: 0x000c, sysPath: '/sys/devices/emulated/usb1/1-3', port: '1-3',
    serial: '000ECC0800778899', manufacturer: 'Tableau', product: 'T8-R2',
  },
};

export const HPA_SECTORS = 2048;

export const DEFAULT_PORTS: readonly EmulatedPortSpec[] = [
  { port: '1', url: 'emu:healthy?seed=11&size=64M', recording: 'scrutiny-ata-wdc-healthy.json' },
  { port: '2', url: 'emu:dead-head?seed=7&size=32M', recording: 'scrutiny-usb-jmicron-hitachi-failed.json', relay: true },
  { port: '3', url: 'emu:healthy?seed=13&size=64M', recording: 'netdata-sat-wdc-ssd.json', bridge: TABLEAU_T8_R2 },
  // 64 MiB native, 1 MiB of it behind the HPA.
  { port: '4', url: 'emu:healthy?seed=17&size=63M', recording: 'exporter-sat-seagate-reallocated.json', hpaSectors: HPA_SECTORS, ro: true },
];

export function portSpecs(overrides: readonly EmulatedPortOverride[] = []): EmulatedPortSpec[] {
  const specs = DEFAULT_PORTS.map((s) => ({ ...s }));
  for (const o of overrides) {
    const i = specs.findIndex((s) => s.port === o.port);
    if (i >= 0) specs[i] = { ...specs[i], ...o };
    else if (o.url === undefined || o.recording === undefined) throw new Error(`port ${o.port}: a new port needs url and recording`);
    else specs.push({ ...o, url: o.url, recording: o.recording });
  }
  return specs;
}

/** A port's drive, as each binding sees it. */
export interface PortDrive {
  readonly spec: EmulatedPortSpec;
  /** emuN: the kernel name. */
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly smart: FittedRecording;
  /** hdparm's view; kept across replugs, so a persistent HPA change would stay. */
  readonly ata: EmulatedAtaDrive;
  /** Discovery's entry, with the kernel read-only flag as given. */
  listing(ro: boolean): Drive;
}

export function portDrive(spec: EmulatedPortSpec): PortDrive {
  if (!/^[A-Za-z0-9]+$/.test(spec.port)) throw new Error(`port name "${spec.port}" must be letters and digits (it names /dev/emu${spec.port})`);
  const drive = parseEmuUrl(spec.url);
  const name = `emu${spec.port}`;
  const smart = loadRecording(spec.recording, drive.size, drive.sectorSize);
  const id = smart.identity;
  const visible = drive.size / drive.sectorSize;
  const ata = new EmulatedAtaDrive({
    model: id.model, serial: id.serial, firmware: id.firmware,
    realMaxSectors: visible + (spec.hpaSectors ?? 0), visibleSectors: visible,
    logicalSectorSize: id.logicalSectorSize, physicalSectorSize: id.physicalSectorSize,
  });
  return {
    spec, name, path: `/dev/${name}`, bytes: drive.size, smart, ata,
    listing: (ro) =>
      emulatedDrive({
        name, size: drive.size, logicalSectorSize: id.logicalSectorSize, physicalSectorSize: id.physicalSectorSize,
        readOnly: ro, model: id.model, serial: id.serial, transport: 'usb', removable: false,
        description: `emulated ${formatSize(drive.size)} ${id.model}`,
      }),
  };
}

/** One line per port, for the demo's opening words. */
export function describePort(d: PortDrive): string {
  const { spec } = d;
  const extras = [
    spec.bridge ? `behind ${spec.bridge.usb.manufacturer ?? ''} ${spec.bridge.usb.product ?? ''}`.replace(/ +/g, ' ').trim() : '',
    spec.ro ? 'kernel read-only' : '',
    spec.hpaSectors ? `HPA of ${spec.hpaSectors} sectors` : '',
    spec.relay ? 'power relay' : '',
  ].filter(Boolean);
  const { model, serial } = d.smart.identity;
  return `port ${spec.port}: ${d.path} ${model} (serial ${serial}), ${formatSize(d.bytes)}, ${spec.url}${extras.length ? `; ${extras.join(', ')}` : ''}`;
}
