// The USBRelay report bytes, as the vendor's library (pavel-a/usb-relay-hid lib/usb_relay_lib.c)
// builds and checks them.

import { describe, expect, it } from 'vitest';
import {
  decodeCommand,
  decodeStatus,
  encodeCommand,
  encodeStatus,
  relayCountOf,
  relayIsOn,
} from '../../../drivers/power/usb-relay-reports.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('USBRelay reports', () => {
  it('takes the relay count from the product name, and nothing else', () => {
    expect(relayCountOf('USBRelay1')).toBe(1);
    expect(relayCountOf('USBRelay8')).toBe(8);
    for (const name of ['USBRelay0', 'USBRelay9', 'USBRelay', 'USBRelay2 ', 'usbrelay2', 'HIDRelay2', null, undefined]) {
      expect(relayCountOf(name)).toBeUndefined();
    }
  });

  it('encodes the four commands as 8-byte feature reports', () => {
    expect(encodeCommand({ kind: 'on', relay: 2 })).toEqual(bytes(0xff, 2, 0, 0, 0, 0, 0, 0));
    expect(encodeCommand({ kind: 'off', relay: 8 })).toEqual(bytes(0xfd, 8, 0, 0, 0, 0, 0, 0));
    expect(encodeCommand({ kind: 'all-on' })).toEqual(bytes(0xfe, 0, 0, 0, 0, 0, 0, 0));
    expect(encodeCommand({ kind: 'all-off' })).toEqual(bytes(0xfc, 0, 0, 0, 0, 0, 0, 0));
    expect(() => encodeCommand({ kind: 'on', relay: 0 })).toThrow(RangeError);
    expect(() => encodeCommand({ kind: 'off', relay: 9 })).toThrow(RangeError);
  });

  it('decodes commands as the firmware would, refusing what it would not take', () => {
    for (const cmd of [{ kind: 'on', relay: 3 }, { kind: 'off', relay: 1 }, { kind: 'all-on' }, { kind: 'all-off' }] as const) {
      expect(decodeCommand(encodeCommand(cmd))).toEqual(cmd);
    }
    expect(decodeCommand(bytes(0xff, 1))).toEqual({ error: 'a command report is 8 bytes, got 2' });
    expect(decodeCommand(bytes(0xff, 0, 0, 0, 0, 0, 0, 0))).toEqual({ error: 'relay number 0 out of 1-8' });
    expect(decodeCommand(bytes(0x01, 1, 0, 0, 0, 0, 0, 0))).toEqual({ error: 'unknown command byte 0x01' });
  });

  it('reads the id and the state byte of a status report', () => {
    const report = bytes(0x51, 0x57, 0x45, 0x52, 0x54, 0, 0, 0b101);
    expect(decodeStatus(report)).toEqual({ id: 'QWERT', mask: 0b101 });
    expect(encodeStatus({ id: 'QWERT', mask: 0b101 })).toEqual(report);
    expect(relayIsOn(0b101, 1)).toBe(true);
    expect(relayIsOn(0b101, 2)).toBe(false);
    expect(relayIsOn(0b101, 3)).toBe(true);
  });

  it('rejects a status report the vendor library would not trust', () => {
    expect(decodeStatus(bytes(0x51, 0x57, 0x45, 0x52, 0x54, 0, 0))).toEqual({ error: 'a status report is 8 bytes, got 7' });
    expect(decodeStatus(bytes(0x51, 0x20, 0x45, 0x52, 0x54, 0, 0, 1))).toEqual({ error: 'bytes 0-4 are not a board id (printable ASCII)' });
    expect(decodeStatus(bytes(0x51, 0x57, 0x45, 0x52, 0x54, 0x41, 0, 1))).toEqual({ error: 'byte 5 (the id terminator) is not zero' });
    expect(() => encodeStatus({ id: 'AB', mask: 0 })).toThrow(RangeError);
  });
});
