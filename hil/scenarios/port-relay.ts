// A one-relay USBRelay board wired into a port's drive power: the drive is powered while relay 1
// is on (it starts on), and the appliance hears of every switch so the drive can leave the bus
// while its power is off and come back when it returns, as a real one does.
import type { ControlSetup } from '../../drivers/power/usb-relay-device.ts';
import { EmulatedUsbRelayBoard } from '../../drivers/power/usb-relay-emulated.ts';

export class PortRelayBoard extends EmulatedUsbRelayBoard {
  readonly #onPower: (on: boolean) => void;

  constructor(id: string, onPower: (on: boolean) => void) {
    super(1, id);
    this.mask = 1;
    this.#onPower = onPower;
  }

  get powered(): boolean {
    return (this.mask & 1) !== 0;
  }

  async controlOut(setup: ControlSetup, data: Uint8Array): Promise<number> {
    const was = this.powered;
    const n = await super.controlOut(setup, data);
    if (this.powered !== was) this.#onPower(this.powered);
    return n;
  }
}

/** A board id (five printable characters) per port: EMU02 for port 2. */
export function relayBoardId(port: string): string {
  return `EMU${port.padStart(2, '0')}`.slice(0, 5);
}
