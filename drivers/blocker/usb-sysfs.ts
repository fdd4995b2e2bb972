// Which USB device a block device sits behind, from sysfs alone: the block device's directory is
// below its USB device's in /sys/devices (…/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb),
// and the USB device's directory is the nearest one holding idVendor and idProduct (an
// interface directory such as 2-1:1.0 has neither). Everything is read under a sysfs root, so a
// fake tree in a temp dir stands in for the kernel's in tests.

import fs from 'node:fs/promises';
import path from 'node:path';
import { blockDirOf, SYS_ROOT } from './sysfs-ro.ts';

export interface UsbDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  /** The USB device's directory under <sysRoot>/devices. */
  readonly sysPath: string;
  readonly serial?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  /** "2-1.3": bus and port chain, stable for a port while the device changes. */
  readonly port: string;
}

async function attr(dir: string, name: string): Promise<string | undefined> {
  try {
    const text = (await fs.readFile(path.join(dir, name), 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

function parseId(text: string, file: string): number {
  if (!/^[0-9a-fA-F]{4}$/.test(text)) throw new Error(`${file}: expected four hex digits, got ${JSON.stringify(text)}`);
  return parseInt(text, 16);
}

/** The USB device a directory of the device tree hangs from, or null when none does. */
export async function usbDeviceAbove(dir: string, sysRoot = SYS_ROOT): Promise<UsbDeviceInfo | null> {
  const top = path.join(await fs.realpath(sysRoot), 'devices');
  for (let d = dir; d.startsWith(top + path.sep); d = path.dirname(d)) {
    const vid = await attr(d, 'idVendor');
    const pid = await attr(d, 'idProduct');
    if (vid === undefined || pid === undefined) continue;
    return {
      vendorId: parseId(vid, path.join(d, 'idVendor')),
      productId: parseId(pid, path.join(d, 'idProduct')),
      sysPath: d,
      serial: await attr(d, 'serial'),
      manufacturer: await attr(d, 'manufacturer'),
      product: await attr(d, 'product'),
      port: path.basename(d),
    };
  }
  return null;
}

/** The USB device behind a block device (or partition) known by its kernel name; null when it is not on USB. */
export async function usbDeviceOfBlock(name: string, sysRoot = SYS_ROOT): Promise<UsbDeviceInfo | null> {
  return usbDeviceAbove(await blockDirOf(name, sysRoot), sysRoot);
}

export function hexId(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** "13d7:000c" */
export function usbIdOf(dev: { readonly vendorId: number; readonly productId: number }): string {
  return `${hexId(dev.vendorId)}:${hexId(dev.productId)}`;
}
