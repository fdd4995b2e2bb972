// What the controller asks of write-blocking, whatever answers: the host (sysfs, blockdev, USB)
// or an emulated device table. One contract suite (test/drivers/blocker/write-block-probe-contract.ts) runs against both.

import type { ClearRoRequest } from './kernel-ro.ts';
import type { WriteBlockReading } from './types.ts';
import type { WatchOptions, WriteBlockChange } from './watch.ts';

export type { ClearRoRequest, DeviceRole } from './kernel-ro.ts';
export type { WatchOptions, WriteBlockChange } from './watch.ts';

export interface WriteBlockProbe {
  /** "linux", "emulated": for logs. */
  readonly binding: string;
  /**
   * Every reading that applies to dev: the kernel flag always (confirmed by BLKROGET where the
   * binding can), and the USB bridge's when dev sits behind USB. Never throws: what cannot be
   * read reads 'unknown' with the reason in its detail. Combine with combineWriteBlock().
   */
  read(dev: string): Promise<WriteBlockReading[]>;
  /** Sets the kernel read-only flag (BLKROSET) and reads it back. Audited; throws when it cannot be set. */
  setReadOnly(dev: string): Promise<WriteBlockReading>;
  /** Clears the kernel flag: refused for a source or without a reason (audited either way). */
  clearReadOnly(dev: string, request: ClearRoRequest): Promise<WriteBlockReading>;
  /**
   * Reports every change of a reading's state until opts.signal aborts (the promise then
   * resolves). Polls the cheap readings (the sysfs flag, the USB id; not tableau-parm).
   */
  watch(dev: string, opts: WatchOptions, onChange: (change: WriteBlockChange) => void): Promise<void>;
}
