// Who a disk is, from sysfs alone: vendor, model, serial, WWID, transport, removable, a loop's
// backing file. Every read takes the sysfs root, so tests run against a fake tree in a temp dir.
// Attributes differ by bus (virtio has block/serial, NVMe device/serial, SCSI device/vpd_pg80,
// USB bridges the serial of the USB device above, as drivers/blocker/usb-sysfs.ts finds it), and a
// missing one is simply null.

import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDevAttr, type DevNumber } from '../block/proc-parse.ts';
import { usbDeviceAbove } from '../blocker/usb-sysfs.ts';

export interface SysfsFacts {
  readonly name: string;
  readonly dev: DevNumber | null;
  /** The disk's real directory under devices/, whose path names the bus it hangs off. */
  readonly devpath: string | null;
  /** Bytes, from the 512-byte count in `size`. */
  readonly size: number | null;
  readonly removable: boolean;
  /** NVMe multipath hides the per-path namespaces; the visible head is the drive. */
  readonly hidden: boolean;
  /** Built on other block devices (device-mapper, md): not a drive of its own. */
  readonly stacked: boolean;
  readonly backingFile: string | null;
  readonly vendor: string | null;
  readonly model: string | null;
  readonly serial: string | null;
  readonly wwid: string | null;
  readonly transport: string | null;
}

/** A text attribute, trimmed of the padding SCSI INQUIRY strings carry; null when missing or blank. */
export async function readAttr(file: string): Promise<string | null> {
  try {
    const text = (await fs.readFile(file, 'latin1')).replace(/\0/g, '').trim();
    return text === '' ? null : text;
  } catch {
    return null;
  }
}

async function readFirst(files: readonly string[]): Promise<string | null> {
  for (const f of files) {
    const v = await readAttr(f);
    if (v !== null) return v;
  }
  return null;
}

/** Whole-disk kernel names under SYSROOT/block, sorted; empty when the directory cannot be read. */
export async function listBlockNames(sysRoot: string): Promise<string[]> {
  return (await fs.readdir(path.join(sysRoot, 'block'))).sort();
}

/** The bus a disk hangs off, from its device path, checked outermost bus first (a USB-SATA bridge is usb). */
export function transportOf(devpath: string): string | null {
  if (devpath.includes('/devices/virtual/block/loop')) return 'loop';
  if (devpath.includes('/devices/virtual/')) return 'virtual';
  const rules: readonly [RegExp, string][] = [
    [/\/usb\d+\//, 'usb'],
    [/\/nvme\d*\//, 'nvme'],
    [/\/ata\d+\//, 'ata'],
    [/\/virtio\d+\//, 'virtio'],
    [/\/mmc_host\//, 'mmc'],
    [/\/(end_device|port)-\d/, 'sas'],
    [/\/session\d+\//, 'iscsi'],
    [/\/host\d+\/(rport-[^/]+\/)?target\d/, 'scsi'],
  ];
  return rules.find(([re]) => re.test(devpath))?.[1] ?? null;
}

/**
 * The Unit Serial Number VPD page (SPC-4 0x80) as the kernel caches it in device/vpd_pg80:
 * byte 1 is the page code, bytes 2-3 the length, then the serial in ASCII, often space-padded.
 */
export function parseVpdSerial(page: Buffer): string | null {
  if (page.length < 4 || page[1] !== 0x80) return null;
  const len = page.readUInt16BE(2);
  const text = page.subarray(4, 4 + len).toString('latin1').replace(/\0/g, '').trim();
  return text === '' ? null : text;
}

async function vpdSerial(deviceDir: string): Promise<string | null> {
  try {
    return parseVpdSerial(await fs.readFile(path.join(deviceDir, 'vpd_pg80')));
  } catch {
    return null;
  }
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fs.realpath(p);
  } catch {
    return null;
  }
}

export async function readSysfsFacts(sysRoot: string, name: string): Promise<SysfsFacts> {
  const dir = path.join(sysRoot, 'block', name);
  const deviceDir = path.join(dir, 'device');
  const devpath = await realpathOrNull(dir);
  const devText = await readAttr(path.join(dir, 'dev'));
  const sizeText = await readAttr(path.join(dir, 'size'));
  const slaves = await fs.readdir(path.join(dir, 'slaves')).catch(() => []);
  const transport = devpath ? transportOf(devpath) : null;
  const serial =
    (await readFirst([path.join(dir, 'serial'), path.join(deviceDir, 'serial')])) ??
    (await vpdSerial(deviceDir)) ??
    (transport === 'usb' && devpath ? ((await usbDeviceAbove(devpath, sysRoot).catch(() => null))?.serial ?? null) : null);
  return {
    name,
    dev: devText ? parseDevAttr(devText) : null,
    devpath,
    size: sizeText && /^\d+$/.test(sizeText) ? Number(sizeText) * 512 : null,
    removable: (await readAttr(path.join(dir, 'removable'))) === '1',
    hidden: (await readAttr(path.join(dir, 'hidden'))) === '1',
    stacked: slaves.length > 0,
    backingFile: await readAttr(path.join(dir, 'loop', 'backing_file')),
    vendor: await readAttr(path.join(deviceDir, 'vendor')),
    model: await readAttr(path.join(deviceDir, 'model')),
    serial,
    wwid: await readFirst([path.join(dir, 'wwid'), path.join(deviceDir, 'wwid')]),
    transport,
  };
}

/**
 * Why a /sys/block entry is not a drive, or null when it is one. Loop devices are listed only
 * while they have a backing file (HIL drives are loop devices); an empty card reader (removable,
 * size 0) stays listed, an unconnected nbd or other fixed 0-byte device does not.
 */
export function skipReason(f: SysfsFacts): string | null {
  if (/^(zram|ram)\d+$/.test(f.name)) return 'a RAM disk';
  if (/^loop\d+$/.test(f.name) && f.backingFile === null) return 'an unused loop device';
  if (f.hidden) return 'a hidden path of a multipath device';
  if (f.stacked) return 'stacked on other block devices (device-mapper, md)';
  if (f.size === 0 && !f.removable) return 'an empty fixed device';
  return null;
}
