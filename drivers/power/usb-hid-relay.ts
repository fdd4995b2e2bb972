// One relay of a USBRelay HID board as a PowerSwitch. Every switch is read back, as the vendor's
// library does: a relay that did not follow is an error, not a silent success.

import { silentLogger } from '../../controller/logger.ts';
import type { Logger } from '../../controller/logger.ts';
import type { PowerSwitch } from './types.ts';
import { openUsbRelayPipes } from './usb-relay-device.ts';
import type { ControlSetup, UsbRelayPipe } from './usb-relay-device.ts';
import {
  decodeStatus,
  encodeCommand,
  FEATURE_REPORT_0,
  HID_GET_REPORT,
  HID_SET_REPORT,
  relayCountOf,
  relayIsOn,
  REPORT_LENGTH,
} from './usb-relay-reports.ts';
import type { RelayStatus } from './usb-relay-reports.ts';

const setup = (request: number): ControlSetup => ({ requestType: 'class', recipient: 'interface', request, value: FEATURE_REPORT_0, index: 0 });

export class UsbRelayError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsbRelayError';
  }
}

export async function readRelayStatus(pipe: UsbRelayPipe): Promise<RelayStatus> {
  const status = decodeStatus(await pipe.controlIn(setup(HID_GET_REPORT), REPORT_LENGTH));
  if ('error' in status) throw new UsbRelayError(`${pipe.productName} ${pipe.where}: bad status report: ${status.error}`);
  return status;
}

export interface UsbHidRelayOptions {
  readonly pipe: UsbRelayPipe;
  /** 1-based, as printed on the board. */
  readonly relay: number;
  /** The board's id, read once when the switch was made. */
  readonly id: string;
  readonly log?: Logger;
  /** Close the pipe when the switch is closed (it was opened for this switch alone). */
  readonly ownsPipe?: boolean;
}

export function usbHidRelay(opts: UsbHidRelayOptions): PowerSwitch {
  const { pipe, relay } = opts;
  const count = relayCountOf(pipe.productName) ?? 0;
  if (!Number.isInteger(relay) || relay < 1 || relay > count) throw new RangeError(`${pipe.productName} has no relay ${relay}`);
  const label = `usb-hid-relay 16c0:05df ${opts.id} relay ${relay}`;
  const log = (opts.log ?? silentLogger()).child({ component: 'usb-hid-relay', board: opts.id, relay });
  const set = async (on: boolean, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    try {
      await pipe.controlOut(setup(HID_SET_REPORT), encodeCommand({ kind: on ? 'on' : 'off', relay }));
      const { mask } = await readRelayStatus(pipe);
      if (relayIsOn(mask, relay) !== on) throw new UsbRelayError(`${label}: relay reads ${on ? 'off' : 'on'} after switching it ${on ? 'on' : 'off'}`);
    } catch (err) {
      log.error({ err, to: on ? 'on' : 'off' }, 'relay switch failed');
      throw err instanceof UsbRelayError ? err : new UsbRelayError(`${label}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    label,
    on: (signal) => set(true, signal),
    off: (signal) => set(false, signal),
    async state(signal) {
      signal?.throwIfAborted();
      try {
        return relayIsOn((await readRelayStatus(pipe)).mask, relay) ? 'on' : 'off';
      } catch (err) {
        log.warn({ err }, 'relay state unreadable');
        return undefined;
      }
    },
    close: async () => {
      if (opts.ownsPipe) await pipe.close();
    },
  };
}

export type OpenRelayResult = { readonly ok: true; readonly switch: PowerSwitch } | { readonly ok: false; readonly why: string };

/** Finds the board (by its id when given, else the only one) and makes a switch of one relay. */
export async function openUsbHidRelay(opts: { relay: number; id?: string; log?: Logger }): Promise<OpenRelayResult> {
  const found = await openUsbRelayPipes();
  if (!found.ok) return found;
  const boards: { pipe: UsbRelayPipe; id: string }[] = [];
  for (const pipe of found.pipes) {
    const status = await readRelayStatus(pipe).catch(() => undefined);
    if (status) boards.push({ pipe, id: status.id });
    else await pipe.close();
  }
  const pick = opts.id ? boards.filter((b) => b.id === opts.id) : boards;
  const why =
    pick.length === 1 ? undefined
    : pick.length === 0 ? `no USBRelay board${opts.id ? ` with id ${opts.id}` : ''} (found ${boards.map((b) => b.id).join(', ') || 'none'})`
    : `${pick.length} USBRelay boards (${pick.map((b) => b.id).join(', ')}): name one by its id`;
  for (const b of boards) if (why || b !== pick[0]) await b.pipe.close();
  if (why) return { ok: false, why };
  try {
    return { ok: true, switch: usbHidRelay({ ...pick[0], relay: opts.relay, log: opts.log, ownsPipe: true }) };
  } catch (err) {
    await pick[0].pipe.close();
    return { ok: false, why: (err as Error).message };
  }
}
