// The referee watches every read the drive serves and keeps score, independent of what the reader
// believes it has rescued: how much readable data really came off the drive and when, and how often
// the reader hammered sectors that could never be read.

import type { Damage } from './damage.ts';
import { firstUnstableFrom, overlapBytes, totalBytes } from './damage.ts';

export interface RefereeStats {
  readonly reads: number;
  readonly failedReads: number;
  /** Failed reads the caller gave up on before the drive answered. */
  readonly timedOutReads: number;
  readonly resets: number;
  /** Bytes of successful reads, repeats included. */
  readonly bytesTransferred: number;
  /** Reads that covered at least one permanently bad sector. */
  readonly badReads: number;
  /** Permanently bad sectors covered, summed over all reads. */
  readonly badSectorTouches: number;
  readonly unstableRecovered: number;
  readonly unstableTotal: number;
  readonly readableBytes: number;
  /** Readable bytes read successfully at least once. */
  readonly rescuedBytes: number;
  /** Drive-time at which rescuedBytes first reached 90%, 99% and 100% of readableBytes. */
  readonly driveMsAt90: number | undefined;
  readonly driveMsAt99: number | undefined;
  readonly driveMsAt100: number | undefined;
  readonly driveMs: number;
}

export interface ReadLogEntry {
  /** Drive-time when the read started. */
  readonly t: number;
  readonly pos: number;
  readonly len: number;
  readonly ok: boolean;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, i) => {
  let n = 0;
  for (let x = i; x; x >>= 1) n += x & 1;
  return n;
});

export class Referee {
  private readonly damage: Damage;
  private readonly sectorSize: number;
  private readonly rescued: Uint8Array;
  private readonly readable: number;
  private readonly log: ReadLogEntry[] | undefined;
  private reads = 0;
  private failedReads = 0;
  private timedOutReads = 0;
  private resets = 0;
  private bytesTransferred = 0;
  private badReads = 0;
  private badSectorTouches = 0;
  private unstableRecovered = 0;
  private rescuedBytes = 0;
  private at90: number | undefined;
  private at99: number | undefined;
  private at100: number | undefined;

  constructor(damage: Damage, size: number, sectorSize: number, logReads = false) {
    this.damage = damage;
    this.sectorSize = sectorSize;
    this.rescued = new Uint8Array(Math.ceil(size / sectorSize / 8));
    this.readable = size - totalBytes(damage.bad);
    this.log = logReads ? [] : undefined;
  }

  /** One read, after the drive served it; t0 is its start and t its end, in drive-time. */
  record(t0: number, t: number, pos: number, len: number, ok: boolean, timedOut: boolean): void {
    this.reads++;
    this.log?.push({ t: t0, pos, len, ok });
    const badBytes = overlapBytes(this.damage.bad, pos, len);
    if (badBytes > 0) {
      this.badReads++;
      this.badSectorTouches += badBytes / this.sectorSize;
    }
    if (!ok) {
      this.failedReads++;
      if (timedOut) this.timedOutReads++;
      return;
    }
    this.bytesTransferred += len;
    const first = pos / this.sectorSize;
    const count = len / this.sectorSize;
    const unstable = this.damage.unstable;
    for (let i = firstUnstableFrom(unstable, pos); i < unstable.length && unstable[i].pos < pos + len; i++) {
      if (!this.isRescued(unstable[i].pos / this.sectorSize)) this.unstableRecovered++;
    }
    this.rescuedBytes += this.markRescued(first, count) * this.sectorSize;
    const share = this.readable === 0 ? 1 : this.rescuedBytes / this.readable;
    if (share >= 0.9) this.at90 ??= t;
    if (share >= 0.99) this.at99 ??= t;
    if (share >= 1) this.at100 ??= t;
  }

  recordReset(): void {
    this.resets++;
  }

  stats(driveMs: number): RefereeStats {
    return {
      reads: this.reads,
      failedReads: this.failedReads,
      timedOutReads: this.timedOutReads,
      resets: this.resets,
      bytesTransferred: this.bytesTransferred,
      badReads: this.badReads,
      badSectorTouches: this.badSectorTouches,
      unstableRecovered: this.unstableRecovered,
      unstableTotal: this.damage.unstable.length,
      readableBytes: this.readable,
      rescuedBytes: this.rescuedBytes,
      driveMsAt90: this.at90,
      driveMsAt99: this.at99,
      driveMsAt100: this.at100,
      driveMs,
    };
  }

  readLog(): readonly ReadLogEntry[] {
    if (!this.log) throw new Error('the read log is off: build the drive with { logReads: true }');
    return this.log;
  }

  private isRescued(sector: number): boolean {
    return (this.rescued[Math.floor(sector / 8)] & (1 << (sector % 8))) !== 0;
  }

  /** Sets the bits of sectors [first, first+count); returns how many were newly set. */
  private markRescued(first: number, count: number): number {
    const bits = this.rescued;
    let fresh = 0;
    let s = first;
    const stop = first + count;
    for (; s < stop && s % 8 !== 0; s++) fresh += this.setBit(s);
    for (; s + 8 <= stop; s += 8) {
      const i = s / 8;
      fresh += 8 - POPCOUNT[bits[i]];
      bits[i] = 0xff;
    }
    for (; s < stop; s++) fresh += this.setBit(s);
    return fresh;
  }

  private setBit(sector: number): number {
    if (this.isRescued(sector)) return 0;
    this.rescued[Math.floor(sector / 8)] |= 1 << (sector % 8);
    return 1;
  }
}
