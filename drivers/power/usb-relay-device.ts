// What a USBRelay board needs from USB: two control transfers on interface 0. UsbRelayPipe is the
// binding; the real one is the `usb` package's WebUSB device (here), the emulated one is
// usb-relay-emulated.ts, which enforces the report format the firmware expects.

import { WebUSB } from 'usb';
import { relayCountOf, USB_RELAY_PRODUCT_ID, USB_RELAY_VENDOR_ID } from './usb-relay-reports.ts';

export interface ControlSetup {
  readonly requestType: 'standard' | 'class' | 'vendor';
  readonly recipient: 'device' | 'interface' | 'endpoint' | 'other';
  readonly request: number;
  readonly value: number;
  readonly index: number;
}

export interface UsbRelayPipe {
  /** "USBRelay2": the firmware's product string, which also gives the relay count. */
  readonly productName: string;
  /** Where the board sits, for logs ("bus 1-1.4"). */
  readonly where: string;
  /** Resolves with the bytes written; rejects on a stall or a vanished device. */
  controlOut(setup: ControlSetup, data: Uint8Array): Promise<number>;
  /** Resolves with the bytes read; rejects on a stall or a vanished device. */
  controlIn(setup: ControlSetup, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export type PipesResult =
  | { readonly ok: true; readonly pipes: readonly UsbRelayPipe[] }
  | { readonly ok: false; readonly why: string };

/** Every USBRelay board on the USB buses, opened with interface 0 claimed. */
export async function openUsbRelayPipes(usb = new WebUSB({ allowAllDevices: true })): Promise<PipesResult> {
  let devices;
  try {
    devices = await usb.getDevices();
  } catch (err) {
    return { ok: false, why: `cannot list USB devices: ${(err as Error).message}` };
  }
  const pipes: UsbRelayPipe[] = [];
  const failures: string[] = [];
  for (const d of devices) {
    if (d.vendorId !== USB_RELAY_VENDOR_ID || d.productId !== USB_RELAY_PRODUCT_ID) continue;
    const where = `bus ${d.bus} address ${d.address}`;
    try {
      await d.open();
      const name = d.productName ?? '';
      if (relayCountOf(name) === undefined) {
        await d.close();
        continue; // another V-USB HID device sharing the id
      }
      // usbhid owns the interface; control requests to it need it claimed (usbfs checks the recipient).
      await d.detachKernelDriver(0).catch(() => {});
      await d.claimInterface(0);
      pipes.push(webUsbPipe(d as Device, name, where));
    } catch (err) {
      failures.push(`${where}: ${(err as Error).message}`);
      await d.close().catch(() => {});
    }
  }
  if (pipes.length === 0 && failures.length > 0) return { ok: false, why: `cannot open a USBRelay board: ${failures.join('; ')}` };
  return { ok: true, pipes };
}

/** The WebUSB methods used here; the package types them against w3c-web-usb's globals, which this project does not load. */
type Device = Awaited<ReturnType<WebUSB['getDevices']>>[number] & {
  controlTransferOut(setup: ControlSetup, data: Uint8Array): Promise<{ status: string; bytesWritten: number }>;
  controlTransferIn(setup: ControlSetup, length: number): Promise<{ status: string; data?: DataView }>;
};

function webUsbPipe(d: Device, productName: string, where: string): UsbRelayPipe {
  return {
    productName,
    where,
    async controlOut(setup, data) {
      const r = await d.controlTransferOut(setup, data);
      if (r.status !== 'ok') throw new Error(`${where}: control transfer out: ${r.status}`);
      return r.bytesWritten;
    },
    async controlIn(setup, length) {
      const r = await d.controlTransferIn(setup, length);
      if (r.status !== 'ok' || !r.data) throw new Error(`${where}: control transfer in: ${r.status}`);
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    },
    async close() {
      await d.releaseInterface(0).catch(() => {});
      await d.attachKernelDriver(0).catch(() => {});
      await d.close();
    },
  };
}
