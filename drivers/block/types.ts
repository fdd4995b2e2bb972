// The small interface between the rescue engine and whatever holds the bytes.
// Each binding (linux.ts: files and block devices; emulated.ts: hil/ drive models) implements it,
// and test/drivers/block/contract.test.ts runs one suite against both.

export type ReadFailure =
  /** The device answered with an error (EIO, ENXIO...). */
  | { readonly ok: false; readonly kind: 'error'; readonly code: string; readonly message: string }
  /** The device gave no answer within timeoutMs; the source was reopened behind the scenes. */
  | { readonly ok: false; readonly kind: 'timeout'; readonly code: 'ETIMEDOUT'; readonly message: string };

export type ReadResult =
  | {
      readonly ok: true;
      readonly data: Buffer;
      /**
       * How long the read took on the thread that made it, without the wait for the caller's busy
       * thread to take the answer. Absent where the caller's clock is the device's own (emulated).
       */
      readonly deviceMs?: number;
    }
  | ReadFailure;

export interface ReadOptions {
  /** Give up on a read that has not answered after this many milliseconds (default: no limit). */
  readonly timeoutMs?: number;
}

export interface BlockSource {
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** Logical sector size: every read's pos and len are multiples of it. */
  readonly sectorSize: number;
  /** True when reads bypass the page cache, so a failed read names exactly the sectors it covered. */
  readonly direct: boolean;
  /**
   * Read len bytes at pos. Never throws for a device error: the result says what happened.
   * Throws RangeError for a misaligned or out-of-range request (a caller's bug).
   * A returned buffer belongs to the caller. It may be lent memory (lease.ts): a caller that is
   * done with it calls release(), so the source can read into it again; one that does not keeps it.
   */
  read(pos: number, len: number, opts?: ReadOptions): Promise<ReadResult>;
  /** Close and open the source again (after a hang, or when the drive stopped answering). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export interface BlockSink {
  readonly path: string;
  /** Capacity for a block device; undefined for a file, which grows. */
  readonly capacity: number | undefined;
  write(pos: number, data: Buffer): Promise<void>;
  /** Make every write so far durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Milliseconds on some clock: wall time for real devices, drive-time for emulated ones. */
export interface Clock {
  now(): number;
}

export const wallClock: Clock = { now: () => performance.now() };
