// The PowerSwitch contract against every switch there is.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { openPortController } from '../../../drivers/blocker/port-controller.ts';
import { EmulatedLine } from '../../../drivers/blocker/port-link-emulated.ts';
import { serialBinding } from '../../../drivers/blocker/port-link-serial.ts';
import { openUsbHidRelay, usbHidRelay } from '../../../drivers/power/usb-hid-relay.ts';
import { EmulatedUsbRelayBoard } from '../../../drivers/power/usb-relay-emulated.ts';
import { SerialBoard } from '../../../hil/serial-board.ts';
import { SerialBlocker, socatAvailable } from '../../../hil/serial-blocker.ts';
import { powerSwitchContract } from './power-switch-contract.ts';

powerSwitchContract('port controller relay, in-process board', async () => {
  const line = new EmulatedLine(new SerialBoard({ ports: 2 }));
  const pc = await openPortController({ binding: line.binding() });
  return {
    sw: pc.powerSwitch(2),
    hardwareOn: () => line.board.power(2),
    teardown: () => pc.close(),
  };
});

const socat = await socatAvailable();
if (socat.ok) {
  powerSwitchContract('port controller relay, serialport on a socat pty', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'imagebox-serial-'));
    const sb = await SerialBlocker.start({ link: path.join(dir, 'ttyPC0'), ports: 2 });
    const pc = await openPortController({ binding: serialBinding(sb.hostPath) });
    return {
      sw: pc.powerSwitch(1),
      hardwareOn: () => sb.board.power(1),
      teardown: async () => {
        await pc.close();
        await sb.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
} else {
  describe('PowerSwitch contract: port controller relay over a pty', () => {
    it.skip(`needs socat: ${socat.why}`, () => {});
  });
}

powerSwitchContract('USB HID relay, emulated USBRelay2 board', async () => {
  const board = new EmulatedUsbRelayBoard(2);
  return {
    sw: usbHidRelay({ pipe: board, relay: 2, id: board.id }),
    hardwareOn: () => (board.mask & 0b10) !== 0,
    teardown: async () => {},
  };
});

const USB_ENV = 'IMAGEBOX_TEST_USB_RELAY';
if (process.env[USB_ENV] === '1') {
  // Switches relay IMAGEBOX_TEST_USB_RELAY_N (default 1) of the only (or IMAGEBOX_TEST_USB_RELAY_ID) board: nothing may hang on it.
  powerSwitchContract('USB HID relay, real USBRelay board', async () => {
    const opened = await openUsbHidRelay({ relay: Number(process.env.IMAGEBOX_TEST_USB_RELAY_N ?? 1), id: process.env.IMAGEBOX_TEST_USB_RELAY_ID });
    if (!opened.ok) throw new Error(opened.why);
    return { sw: opened.switch, hardwareOn: () => undefined, teardown: async () => {} };
  });
} else {
  describe('PowerSwitch contract: USB HID relay, real USBRelay board', () => {
    it.skip(`needs a USBRelay board plugged in: set ${USB_ENV}=1 (and IMAGEBOX_TEST_USB_RELAY_N, _ID) to run`, () => {});
  });
}
