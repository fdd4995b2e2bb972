// The emulated binding: each command prints what hdparm 9.65 prints for the emulated drive's
// state (its printf formats and perror() lines, its exit codes), so the shared parsers and the
// guarded acts run unchanged against it. A device with `answers: false` behaves as hdparm does
// on a loop device; an unknown path as on a missing one.

import { DCO_TO_IDENTIFY } from './dco-features.ts';
import { EmulatedAtaDrive } from './emulated-drive.ts';
import type { EmulatedAtaDriveSpec } from './emulated-drive.ts';
import type { AtaBinding, HdparmResult } from './types.ts';

export { EmulatedAtaDrive };
export type { EmulatedAtaDriveSpec };

const EIO = 5;
const EINVAL = 22;
const ENOENT = 2;

// hdparm prints the DCO's ATA tokens in three lines, by word and bit (dco.c).
const DCO_ATA_LINES: readonly (readonly string[])[] = [
  ['SMART', 'self_test', 'error_log', 'security', 'PUIS', 'TCQ', 'AAM', 'HPA', '48_bit'],
  ['streaming', 'FUA', 'selective_test', 'conveyance_test', 'write_read_verify'],
  ['free_fall', 'trusted_computing', 'WRITE_UNC_EXT', 'NV_cache_power_management', 'NV_cache'],
];
const DCO_SATA = ['NCQ', 'NZ_buffer_offsets', 'interface_power_management', 'async_notification', 'SSP'];

/** IDENTIFY features every emulated drive has, whatever its DCO says. */
const BASE_FEATURES = ['Power Management feature set', 'Write cache', 'Look-ahead', 'Device Configuration Overlay feature set', 'Mandatory FLUSH_CACHE', 'FLUSH_CACHE_EXT'];

interface Out {
  stdout: string;
  stderr: string;
  code: number;
}

function maxLine(d: EmulatedAtaDrive): string {
  const v = d.visibleSectors;
  const n = d.nativeSectors;
  const state = v < n ? 'enabled' : 'disabled';
  if (d.accessibleMaxAddress) {
    return ` max sectors   = ${v}/${n}, ACCESSIBLE MAX ADDRESS ${state}\n${v < n ? 'Power cycle your device after every ACCESSIBLE MAX ADDRESS\n' : ''}`;
  }
  return ` max sectors   = ${v}/${n}, HPA is ${state}\n`;
}

function readMaxText(d: EmulatedAtaDrive, out: Out): void {
  if (d.readNativeMax().ok) out.stdout += maxLine(d);
  else {
    out.stderr += ' READ_NATIVE_MAX_ADDRESS_EXT failed: Input/output error\n';
    out.code = EIO;
  }
}

function dcoText(d: EmulatedAtaDrive): string {
  const has = (t: string): boolean => d.dcoFeatures.includes(t);
  let s = 'DCO Checksum verified.\nDCO Revision: 0x0002\nThe following features can be selectively disabled via DCO:\n';
  s += '\tTransfer modes:\n\t\t mdma0 mdma1 mdma2\n\t\t udma0 udma1 udma2 udma3 udma4 udma5 udma6\n';
  s += `\tReal max sectors: ${d.realMaxSectors}\n\tATA command/feature sets:`;
  for (const group of DCO_ATA_LINES) {
    const present = group.filter(has);
    if (present.length) s += `\n\t\t ${present.join(' ')}`;
  }
  s += '\n';
  const sata = DCO_SATA.filter(has);
  if (sata.length) s += `\tSATA command/feature sets:\n\t\t ${sata.join(' ')}\n`;
  return s;
}

function identifyText(d: EmulatedAtaDrive): string {
  const pad = (n: number): string => String(n).padStart(11);
  const features = [
    ...BASE_FEATURES,
    ...d.dcoFeatures.filter((t) => d.hasFeature(t) && DCO_TO_IDENTIFY[t]).map((t) => DCO_TO_IDENTIFY[t]),
  ];
  return [
    '',
    'ATA device, with non-removable media',
    `\tModel Number:       ${d.model}`,
    `\tSerial Number:      ${d.serial}`,
    `\tFirmware Revision:  ${d.firmware}`,
    '\tTransport:          Serial, SATA Rev 3.0',
    'Configuration:',
    '\t--',
    `\tLBA    user addressable sectors:${pad(Math.min(d.visibleSectors, 268435455))}`,
    `\tLBA48  user addressable sectors:${pad(d.visibleSectors)}`,
    `\tLogical  Sector size:${String(d.logicalSectorSize).padStart(20)} bytes`,
    `\tPhysical Sector size:${String(d.physicalSectorSize).padStart(20)} bytes`,
    'Commands/features:',
    '\tEnabled\tSupported:',
    ...features.map((f) => `\t   *\t${f}`),
    ...(d.hasFeature('security') ? ['Security: ', '\t\tsupported', '\tnot\tenabled', '\tnot\tlocked', '\tnot\tfrozen'] : []),
    'Checksum: correct',
    '',
  ].join('\n');
}

export interface EmulatedAtaBinding extends AtaBinding {
  /** Every command run, as hdparm's argument list joined ("-N /dev/sdz"), for tests. */
  readonly commands: readonly string[];
}

/** A binding over emulated drives, keyed by device path. */
export function emulatedAtaBinding(drives: Readonly<Record<string, EmulatedAtaDrive>>): EmulatedAtaBinding {
  const commands: string[] = [];
  const exec = (args: string[], act: (d: EmulatedAtaDrive, out: Out) => void, silent?: (out: Out) => void): Promise<HdparmResult> => {
    const device = args[args.length - 1];
    commands.push(args.join(' '));
    const command = ['hdparm', ...args].join(' ');
    const d = drives[device];
    if (!d) return Promise.resolve({ kind: 'ran', command, code: ENOENT, stdout: '', stderr: `${device}: No such file or directory\n` });
    const out: Out = { stdout: `\n${device}:\n`, stderr: '', code: 0 };
    if (d.answers) act(d, out);
    else silent?.(out);
    return Promise.resolve({ kind: 'ran', command, ...out });
  };
  const fail = (out: Out, what: string, code: number, why: string): void => {
    out.stderr += ` ${what} failed: ${why}\n`;
    out.code = code;
  };
  return {
    label: 'emulated',
    commands,
    readMax: (dev) => exec(['-N', dev], readMaxText),
    identify: (dev) => exec(['-I', dev], (d, out) => (out.stdout += identifyText(d))),
    dcoIdentify: (dev) =>
      exec(
        ['--dco-identify', dev],
        (d, out) => (d.dcoFeatures.length ? (out.stdout += dcoText(d)) : fail(out, 'HDIO_DRIVE_CMD(dco_identify)', EIO, 'Input/output error')),
        // hdparm 9.65 on a loop device: the ioctl fails, yet the exit code stays 0.
        (out) => (out.stderr += ' HDIO_DRIVE_CMD(dco_identify) failed: Invalid argument\n'),
      ),
    setMaxVolatile: (dev, sectors) => {
      if (!Number.isSafeInteger(sectors) || sectors < 1) throw new RangeError(`not a sector count: ${sectors}`);
      const announce = (out: Out): void => void (out.stdout += ` setting max visible sectors to ${sectors} (temporary)\n`);
      return exec(
        ['--yes-i-know-what-i-am-doing', '-N', String(sectors), dev],
        (d, out) => {
          announce(out);
          const label = d.accessibleMaxAddress ? 'SET_ACCESSIBLE_MAX_ADDRESS_EXT' : 'SET_MAX_ADDRESS(_EXT)';
          if (!d.setMax(sectors, true).ok) fail(out, label, EIO, 'Input/output error');
          const code = out.code;
          readMaxText(d, out);
          out.code = code || out.code;
        },
        announce,
      );
    },
    dcoRestore: (dev) => {
      const announce = (out: Out): void => void (out.stdout += ' issuing DCO restore command\n');
      return exec(
        ['--yes-i-know-what-i-am-doing', '--dco-restore', dev],
        (d, out) => {
          announce(out);
          if (!d.dcoRestore().ok) fail(out, 'HDIO_DRIVE_CMD(dco_restore)', EIO, 'Input/output error');
        },
        (out) => {
          announce(out);
          fail(out, 'HDIO_DRIVE_CMD(dco_restore)', EINVAL, 'Invalid argument');
        },
      );
    },
  };
}
