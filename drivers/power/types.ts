// A source drive's power switch: a relay on the box's port controller, or a USB HID relay board.
// Cycling a failing drive's power is how a hung drive is brought back (HDDSuperClone's default
// timings: off for 3 s, then 15 s for the drive to spin up and answer again).

export interface PowerCycleTimings {
  /** How long the power stays off. */
  readonly offMs: number;
  /** How long to wait after power returns before the drive is used again. */
  readonly settleMs: number;
}

export const DEFAULT_POWER_CYCLE: PowerCycleTimings = { offMs: 3_000, settleMs: 15_000 };

export interface PowerSwitch {
  /** What the switch is, for logs and the record ("port-controller port 2", "usb-hid-relay 16c0:05df relay 1"). */
  readonly label: string;
  on(signal?: AbortSignal): Promise<void>;
  off(signal?: AbortSignal): Promise<void>;
  /** The relay's state as last reported by the hardware; undefined when it cannot say. */
  state(signal?: AbortSignal): Promise<'on' | 'off' | undefined>;
  close(): Promise<void>;
}
