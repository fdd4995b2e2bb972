// The USB HID relay switch over the emulated board: what the emulated board holds the host to,
// and the faults a real board shows (a relay that does not follow, the board unplugged).

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openUsbHidRelay, usbHidRelay, UsbRelayError } from '../../../drivers/power/usb-hid-relay.ts';
import { EmulatedUsbRelayBoard } from '../../../drivers/power/usb-relay-emulated.ts';
import { FEATURE_REPORT_0, HID_SET_REPORT } from '../../../drivers/power/usb-relay-reports.ts';

describe('USB HID relay over the emulated board', () => {
  it('sends exactly the vendor command for one relay, and leaves the others alone', async () => {
    const board = new EmulatedUsbRelayBoard(4);
    board.mask = 0b1001;
    const sw = usbHidRelay({ pipe: board, relay: 4, id: board.id });
    expect(sw.label).toBe('usb-hid-relay 16c0:05df EMU01 relay 4');
    await sw.off();
    expect(board.sent).toEqual([Uint8Array.from([0xfd, 4, 0, 0, 0, 0, 0, 0])]);
    expect(board.mask).toBe(0b0001);
  });

  it('stalls a request the firmware would not take', async () => {
    const board = new EmulatedUsbRelayBoard(1);
    const good = { requestType: 'class', recipient: 'interface', request: HID_SET_REPORT, value: FEATURE_REPORT_0, index: 0 } as const;
    await expect(board.controlOut({ ...good, value: 0x0200 }, new Uint8Array(8))).rejects.toThrow('stall');
    await expect(board.controlOut({ ...good, recipient: 'device' }, new Uint8Array(8))).rejects.toThrow('stall');
    await expect(board.controlOut(good, Uint8Array.from([0xff, 1]))).rejects.toThrow('stall (SET_REPORT of 2 bytes)');
    await expect(board.controlOut(good, Uint8Array.from([0x42, 1, 0, 0, 0, 0, 0, 0]))).rejects.toThrow('unknown command byte 0x42');
  });

  it('refuses a relay the board does not have', () => {
    const board = new EmulatedUsbRelayBoard(2);
    expect(() => usbHidRelay({ pipe: board, relay: 3, id: board.id })).toThrow('USBRelay2 has no relay 3');
  });

  it('a relay that does not follow is an error, found by reading it back', async () => {
    const board = new EmulatedUsbRelayBoard(2);
    board.stuck.add(1);
    const sw = usbHidRelay({ pipe: board, relay: 1, id: board.id });
    await expect(sw.on()).rejects.toThrow(new UsbRelayError(`${sw.label}: relay reads off after switching it on`));
  });

  it('an unplugged board: switching fails with a typed error, the state is unknown', async () => {
    const board = new EmulatedUsbRelayBoard(1);
    const sw = usbHidRelay({ pipe: board, relay: 1, id: board.id });
    board.unplug();
    await expect(sw.off()).rejects.toBeInstanceOf(UsbRelayError);
    expect(await sw.state()).toBeUndefined();
  });

  it.skipIf(existsSync('/sys/bus/usb/devices'))('says why, without throwing, on a machine with no USB (no /sys/bus/usb/devices)', async () => {
    const r = await openUsbHidRelay({ relay: 1 });
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.why).toMatch(/cannot list USB devices/);
  });
});
