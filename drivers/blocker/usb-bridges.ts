// USB forensic bridges: the verdict for a block device from the USB device it sits behind, and
// the host's USB devices and hotplug events through the `usb` package (WebUSB-style API).
//
// A bridge that is read-only by design reads 'engaged' from its id alone. A switchable one
// (Tableau's IDE/SATA/SCSI bridges) reads what the bridge itself reports through tableau-parm,
// and 'unknown' when that cannot be asked: its id says what it is, not which mode it is in.

import type { WriteBlockReading } from './types.ts';
import { findBridge, findBridgeVendor } from './usb-bridge-table.ts';
import { usbIdOf, type UsbDeviceInfo } from './usb-sysfs.ts';
import { describeTableau, type TableauQuery } from './tableau-parm.ts';

function usbLabel(usb: UsbDeviceInfo): string {
  const names = [usb.manufacturer, usb.product].filter(Boolean).join(' ');
  const serial = usb.serial ? `, serial ${usb.serial}` : '';
  return `${usbIdOf(usb)}${names ? ` "${names}"` : ''} at USB port ${usb.port}${serial}`;
}

/**
 * The usb-bridge reading for dev, or null when dev is not behind USB. `tableau` is the bridge's
 * answer to tableau-parm, when it was asked (only vendors that speak Tableau's query are).
 */
export function bridgeReading(dev: string, usb: UsbDeviceInfo | null, tableau?: TableauQuery): WriteBlockReading | null {
  if (!usb) return null;
  const at = new Date().toISOString();
  const of = (state: WriteBlockReading['state'], detail: string): WriteBlockReading => ({ method: 'usb-bridge', state, detail: `${dev}: ${detail}`, at });
  const known = findBridge(usb.vendorId, usb.productId);
  const label = usbLabel(usb);
  if (known?.blocking === 'always') return of('engaged', `${known.name} (${label}): write-blocking by design [${known.source}]`);
  const what = known ? `${known.name} (${label}), switchable to read-write` : `${findBridgeVendor(usb.vendorId)?.name ?? 'USB'} bridge ${label}`;
  if (tableau?.ok) {
    const r = tableau.report;
    return of(r.writesPermitted ? 'not-engaged' : 'engaged', `${what}; ${describeTableau(r)}`);
  }
  if (tableau) return of('unknown', `${what}; ${tableau.note}, so its mode is not known`);
  return of('unknown', known ? `${what}; its mode was not queried` : `${what} is not a known write-blocker`);
}

/** Whether tableau-parm can ask the bridge behind this USB device for its mode. */
export function speaksTableauQuery(usb: UsbDeviceInfo | null): boolean {
  return usb ? (findBridgeVendor(usb.vendorId)?.tableauQuery ?? false) : false;
}

export interface UsbListed {
  readonly vendorId: number;
  readonly productId: number;
  readonly serial?: string;
  readonly name?: string;
  /** "2-1.3", as sysfs names the device directory. */
  readonly port: string;
}

export type UsbListing = { readonly ok: true; readonly devices: readonly UsbListed[] } | { readonly ok: false; readonly note: string };

type WebUsbModule = typeof import('usb');

async function webUsb(): Promise<InstanceType<WebUsbModule['WebUSB']>> {
  const { WebUSB } = await import('usb');
  return new WebUSB({ allowAllDevices: true });
}

/** The host's USB devices. Without usbfs/sysfs USB (a container) this is a note, not a throw. */
export async function listUsbDevices(): Promise<UsbListing> {
  try {
    const devices = await (await webUsb()).getDevices();
    return {
      ok: true,
      devices: devices.map((d) => ({
        vendorId: d.vendorId,
        productId: d.productId,
        serial: d.serialNumber ?? undefined,
        name: [d.manufacturerName, d.productName].filter(Boolean).join(' ') || undefined,
        port: `${d.bus.replace(/^0+/, '') || '0'}-${d.ports.join('.')}`,
      })),
    };
  } catch (err) {
    return { ok: false, note: `USB devices unavailable: ${(err as Error).message}` };
  }
}

/**
 * Calls onEvent for every USB connect and disconnect until the signal aborts. Resolves false,
 * with the reason logged by the caller, when hotplug cannot be watched here.
 */
export async function watchUsbHotplug(
  signal: AbortSignal,
  onEvent: (kind: 'connect' | 'disconnect') => void,
): Promise<{ ok: true } | { ok: false; note: string }> {
  try {
    const usb = await webUsb();
    // Hotplug needs the native enumeration to work at all; probe it once.
    await usb.getDevices();
    const on = (kind: 'connect' | 'disconnect') => () => onEvent(kind);
    const connect = on('connect');
    const disconnect = on('disconnect');
    usb.addEventListener('connect', connect);
    usb.addEventListener('disconnect', disconnect);
    signal.addEventListener(
      'abort',
      () => {
        usb.removeEventListener('connect', connect);
        usb.removeEventListener('disconnect', disconnect);
      },
      { once: true },
    );
    return { ok: true };
  } catch (err) {
    return { ok: false, note: `USB hotplug unavailable: ${(err as Error).message}` };
  }
}
