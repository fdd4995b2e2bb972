// What every emulated drive offers to whatever serves it: the in-process binding
// (drivers/block/emulated.ts) and the NBD server that shows it to the kernel (hil/nbd-server.ts).

/** One read as the drive saw it. The drive charges its virtual clock for it. */
export interface DriveReadOutcome {
  /** True when every sector of the range was read. */
  readonly ok: boolean;
  /** The bytes, when ok. */
  readonly data?: Buffer;
  /**
   * Wall-clock milliseconds a server honouring real time should hold the answer back,
   * to show a hang (0 almost always). Virtual drive-time is charged separately, by the model.
   */
  readonly hangMs: number;
}

export interface DriveBackend {
  readonly size: number;
  readonly sectorSize: number;
  /** pos and len are multiples of sectorSize and inside the drive. */
  read(pos: number, len: number): DriveReadOutcome;
  /** The host closed and reopened the drive, or power-cycled it: a drive that stopped answering answers again. */
  reset(): void;
}
