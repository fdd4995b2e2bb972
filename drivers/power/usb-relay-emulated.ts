// An emulated USBRelay board behind the same pipe as a real one. It holds the host to what the
// firmware accepts: HID class requests to interface 0, SET_REPORT/GET_REPORT of feature report 0,
// 8-byte reports, known command bytes. Anything else stalls, as a real control endpoint does;
// a command the firmware ignores (relay number out of range) changes nothing.

import type { ControlSetup, UsbRelayPipe } from './usb-relay-device.ts';
import {
  decodeCommand,
  encodeStatus,
  FEATURE_REPORT_0,
  HID_GET_REPORT,
  HID_SET_REPORT,
  REPORT_LENGTH,
} from './usb-relay-reports.ts';

export class EmulatedUsbRelayBoard implements UsbRelayPipe {
  readonly productName: string;
  readonly where = 'emulated';
  readonly id: string;
  readonly relays: number;
  /** Bit n-1 set when relay n is on. */
  mask = 0;
  /** Every report the host sent, for tests. */
  readonly sent: Uint8Array[] = [];
  /** A relay whose contact does not follow the command (welded, coil dead). */
  readonly stuck = new Set<number>();
  #present = true;

  constructor(relays = 2, id = 'EMU01') {
    this.relays = relays;
    this.id = id;
    this.productName = `USBRelay${relays}`;
  }

  unplug(): void {
    this.#present = false;
  }

  async controlOut(setup: ControlSetup, data: Uint8Array): Promise<number> {
    this.#check(setup, HID_SET_REPORT);
    if (data.length !== REPORT_LENGTH) throw stall(`SET_REPORT of ${data.length} bytes`);
    this.sent.push(Uint8Array.from(data));
    const cmd = decodeCommand(data);
    if ('error' in cmd) throw stall(cmd.error);
    const all = (1 << this.relays) - 1;
    const bits = cmd.kind === 'on' || cmd.kind === 'off' ? (cmd.relay <= this.relays ? 1 << (cmd.relay - 1) : 0) : all;
    const free = bits & ~this.#stuckMask();
    this.mask = cmd.kind === 'on' || cmd.kind === 'all-on' ? this.mask | free : this.mask & ~free;
    return data.length;
  }

  async controlIn(setup: ControlSetup, length: number): Promise<Uint8Array> {
    this.#check(setup, HID_GET_REPORT);
    if (length < REPORT_LENGTH) throw stall(`GET_REPORT of ${length} bytes`);
    return encodeStatus({ id: this.id, mask: this.mask });
  }

  async close(): Promise<void> {}

  #stuckMask(): number {
    let m = 0;
    for (const r of this.stuck) m |= 1 << (r - 1);
    return m;
  }

  #check(setup: ControlSetup, request: number): void {
    if (!this.#present) throw Object.assign(new Error('emulated USBRelay: device disconnected'), { code: 'ENODEV' });
    const ok =
      setup.requestType === 'class' &&
      setup.recipient === 'interface' &&
      setup.index === 0 &&
      setup.request === request &&
      setup.value === FEATURE_REPORT_0;
    if (!ok) throw stall(`unexpected setup ${JSON.stringify(setup)}`);
  }
}

function stall(why: string): Error {
  return new Error(`emulated USBRelay: stall (${why})`);
}
