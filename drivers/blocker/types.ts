// One write-block state, whatever establishes it: the kernel's read-only flag, a USB forensic
// bridge, or the box's serial port controller. "unknown" is never treated as engaged.

export type WriteBlockState = 'engaged' | 'not-engaged' | 'unknown';

export type WriteBlockMethod = 'kernel-ro' | 'usb-bridge' | 'port-controller';

export interface WriteBlockReading {
  readonly method: WriteBlockMethod;
  readonly state: WriteBlockState;
  /** How the state was established, in words for the acquisition record ("BLKROGET on /dev/sdb: 1"). */
  readonly detail: string;
  /** ISO time of the reading. */
  readonly at: string;
}

/** The combined verdict: engaged when any hardware or kernel method says engaged and none says not. */
export function combineWriteBlock(readings: readonly WriteBlockReading[]): WriteBlockState {
  if (readings.some((r) => r.state === 'not-engaged' && r.method !== 'kernel-ro')) return 'not-engaged';
  if (readings.some((r) => r.state === 'engaged')) return 'engaged';
  if (readings.some((r) => r.state === 'not-engaged')) return 'not-engaged';
  return 'unknown';
}
