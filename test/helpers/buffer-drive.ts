// A tiny DriveBackend for server and kernel-path tests: every byte is known, a few sectors are bad,
// a few hang (wall time) before failing, and every call is recorded.
import type { DriveBackend, DriveReadOutcome } from '../../hil/types.ts';

export interface BufferDriveOptions {
  readonly size: number;
  readonly sectorSize: number;
  readonly bad?: readonly number[];
  /** Sector -> wall ms its reads are held back (then they fail, like a drive that gave up). */
  readonly hang?: ReadonlyMap<number, number>;
}

export class BufferDrive implements DriveBackend {
  readonly size: number;
  readonly sectorSize: number;
  readonly bad: ReadonlySet<number>;
  readonly hang: ReadonlyMap<number, number>;
  readonly calls: { pos: number; len: number }[] = [];

  constructor(opts: BufferDriveOptions) {
    this.size = opts.size;
    this.sectorSize = opts.sectorSize;
    this.bad = new Set(opts.bad ?? []);
    this.hang = opts.hang ?? new Map();
  }

  /** The drive's bytes, computed: a different byte sequence in every sector, so misplacement shows. */
  bytes(pos: number, len: number): Buffer {
    const b = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) {
      const at = pos + i;
      b[i] = (Math.floor(at / this.sectorSize) * 31 + at * 7) & 0xff;
    }
    return b;
  }

  read(pos: number, len: number): DriveReadOutcome {
    if (pos % this.sectorSize !== 0 || len % this.sectorSize !== 0 || len <= 0 || pos + len > this.size) {
      throw new RangeError(`misaligned or out-of-range read pos=${pos} len=${len}`);
    }
    this.calls.push({ pos, len });
    const first = pos / this.sectorSize;
    const last = (pos + len) / this.sectorSize;
    let hangMs = 0;
    let ok = true;
    for (let s = first; s < last; s++) {
      if (this.bad.has(s)) ok = false;
      const h = this.hang.get(s);
      if (h !== undefined) {
        ok = false;
        hangMs = Math.max(hangMs, h);
      }
    }
    return ok ? { ok, data: this.bytes(pos, len), hangMs } : { ok, hangMs };
  }

  reset(): void {}
}
