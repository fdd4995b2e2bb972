// A deterministic failing drive: content from content.ts, faults from a damage pattern, timing
// from the cost model on a virtual clock, and a referee keeping score. It serves reads the way a
// disk under O_DIRECT does: a read touching any bad sector fails whole.

import type { Area } from '../controller/rescue/block.ts';
import { Content } from './content.ts';
import type { Damage } from './damage.ts';
import { firstUnstableFrom, overlapBytes, truthOf } from './damage.ts';
import type { DriveSpec } from './drive-spec.ts';
import type { CostModel } from './drive-time.ts';
import { costModel, seekMs, transferMs, VirtualClock } from './drive-time.ts';
import { generateDamage } from './patterns.ts';
import type { ReadLogEntry, RefereeStats } from './referee.ts';
import { Referee } from './referee.ts';
import type { DriveBackend, DriveReadOutcome } from './types.ts';

export interface DriveModelOptions {
  /** Keep {t, pos, len, ok} of every read, for later analysis (memory grows with every read). */
  readonly logReads?: boolean;
}

export interface DriveModelOutcome extends DriveReadOutcome {
  /** The caller's timeout ran out before the drive answered; only the time waited was charged. */
  readonly timedOut: boolean;
  /** Drive-time this read took. */
  readonly driveMs: number;
}

export class DriveModel implements DriveBackend {
  readonly spec: DriveSpec;
  readonly size: number;
  readonly sectorSize: number;
  readonly damage: Damage;
  readonly cost: CostModel;
  readonly clock = new VirtualClock();
  private readonly bytes: Content;
  private readonly referee: Referee;
  /** Tries so far of each unstable sector, parallel to damage.unstable. */
  private readonly tries: Uint32Array;
  /** Where the last read ended: a read starting here pays no seek. */
  private head = 0;
  private failuresSinceReset = 0;
  private vanishedAt: number | undefined;

  constructor(spec: DriveSpec, opts: DriveModelOptions = {}) {
    this.spec = spec;
    this.size = spec.size;
    this.sectorSize = spec.sectorSize;
    if (!Number.isSafeInteger(spec.size) || spec.size <= 0 || spec.size % spec.sectorSize !== 0) {
      throw new RangeError(`drive size ${spec.size} is not a positive multiple of ${spec.sectorSize}`);
    }
    this.damage = generateDamage(spec.pattern, spec.seed, spec.size, spec.sectorSize, spec.params);
    this.cost = costModel(spec.cost);
    this.bytes = new Content(spec.seed);
    this.referee = new Referee(this.damage, spec.size, spec.sectorSize, opts.logReads);
    this.tries = new Uint32Array(this.damage.unstable.length);
  }

  /** The drive's bytes from pos on, whatever the damage: what a perfect image holds where readable. */
  content(pos: number, buf: Uint8Array): void {
    this.bytes.fill(pos, buf);
  }

  truth(): Area[] {
    return truthOf(this.damage, this.size);
  }

  stats(): RefereeStats {
    return this.referee.stats(this.clock.now());
  }

  readLog(): readonly ReadLogEntry[] {
    return this.referee.readLog();
  }

  /** True while the drive has stopped answering. */
  get vanished(): boolean {
    this.recoverIfDue();
    return this.vanishedAt !== undefined;
  }

  read(pos: number, len: number, timeoutMs?: number): DriveModelOutcome {
    this.checkRange(pos, len);
    const t0 = this.clock.now();
    this.recoverIfDue();
    const v = this.damage.vanish;
    let outcome: { ok: boolean; hangDriveMs: number; wallMs: number; workMs: number };
    if (this.vanishedAt !== undefined && v) {
      // Gone: no seek, no media access, just a command that never completes.
      outcome = { ok: false, hangDriveMs: v.hangMs, wallMs: v.wallHangMs, workMs: 0 };
    } else {
      outcome = this.serve(pos, len);
      outcome.workMs += seekMs(this.cost, this.head, pos, this.size);
      this.head = pos + len;
    }
    // Only hangs time out: a drive reporting an error answers within failedReadMs, which callers budget for.
    const fullMs = outcome.workMs + outcome.hangDriveMs;
    const timedOut = timeoutMs !== undefined && outcome.hangDriveMs > 0 && fullMs > timeoutMs;
    const driveMs = timedOut ? (timeoutMs ?? 0) : fullMs;
    this.clock.advance(driveMs);
    if (!outcome.ok && this.vanishedAt === undefined) {
      this.failuresSinceReset++;
      if (v && this.failuresSinceReset >= v.afterFailures) this.vanishedAt = this.clock.now();
    }
    this.referee.record(t0, this.clock.now(), pos, len, outcome.ok, timedOut);
    let data: Buffer | undefined;
    if (outcome.ok) {
      data = Buffer.allocUnsafe(len);
      this.bytes.fill(pos, data);
    }
    return { ok: outcome.ok, data, hangMs: outcome.wallMs, timedOut, driveMs };
  }

  /** The host reset the drive (reopen, bus reset, power cycle): a vanished drive answers again. */
  reset(): void {
    this.clock.advance(this.cost.resetMs);
    this.vanishedAt = undefined;
    this.failuresSinceReset = 0;
    this.referee.recordReset();
  }

  /** What the media does for a read: counts unstable tries, then fails, hangs or transfers. */
  private serve(pos: number, len: number): { ok: boolean; hangDriveMs: number; wallMs: number; workMs: number } {
    const d = this.damage;
    let unstableFails = false;
    for (let i = firstUnstableFrom(d.unstable, pos); i < d.unstable.length && d.unstable[i].pos < pos + len; i++) {
      this.tries[i]++;
      if (this.tries[i] < d.unstable[i].tries) unstableFails = true;
    }
    if (overlapBytes(d.hang, pos, len) > 0) return { ok: false, hangDriveMs: d.hangMs, wallMs: d.wallHangMs, workMs: 0 };
    if (unstableFails || overlapBytes(d.bad, pos, len) > 0) {
      return { ok: false, hangDriveMs: 0, wallMs: 0, workMs: this.cost.failedReadMs };
    }
    let slowExtra = 0;
    for (const s of d.slow) {
      const overlap = Math.min(pos + len, s.pos + s.size) - Math.max(pos, s.pos);
      if (overlap > 0) slowExtra += overlap * (s.factor - 1);
    }
    return { ok: true, hangDriveMs: 0, wallMs: 0, workMs: transferMs(this.cost, len + slowExtra) };
  }

  private recoverIfDue(): void {
    const v = this.damage.vanish;
    if (this.vanishedAt !== undefined && v && this.clock.now() - this.vanishedAt >= v.recoverAfterMs) {
      this.vanishedAt = undefined;
      this.failuresSinceReset = 0;
    }
  }

  private checkRange(pos: number, len: number): void {
    const ss = this.sectorSize;
    if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(len) || pos < 0 || len <= 0 || pos % ss !== 0 || len % ss !== 0) {
      throw new RangeError(`read pos=${pos} len=${len}: not whole ${ss}-byte sectors`);
    }
    if (pos + len > this.size) throw new RangeError(`read pos=${pos} len=${len} goes past the end of the drive (${this.size})`);
  }
}
