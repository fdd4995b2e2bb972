// One read of the source, and everything that follows from it: the write to the destination,
// the map update, the counters, and the checks that stop a rescue. Every phase reads through here.
import type { Logger } from 'pino';
import type { BlockSink, BlockSource, Clock, ReadResult } from '../../drivers/block/types.ts';
import { release } from '../../drivers/block/lease.ts';
import type { Status } from './block.ts';
import { end } from './block.ts';
import type { Domain } from './domain.ts';
import type { MapState, PhaseChar } from './mapfile.ts';
import type { RescueOptions } from './options.ts';
import type { SectorMap } from './sector-map.ts';

export type ReadVerdict = 'ok' | 'slow' | 'error';

export type StopReason = 'interrupted' | 'max-errors' | 'max-run-time' | 'target-reached';

/** Thrown out of the phases to end a rescue early; the map stays resumable. */
export class StopRescue extends Error {
  readonly reason: StopReason;
  constructor(reason: StopReason) {
    super(`rescue stopped: ${reason}`);
    this.reason = reason;
  }
}

export interface ReadRecord {
  readonly t: number;
  readonly pos: number;
  readonly len: number;
  readonly ok: boolean;
  readonly ms: number;
  readonly code?: string;
}

export interface RescueIODeps {
  readonly source: BlockSource;
  readonly sink: BlockSink;
  readonly map: SectorMap;
  readonly domain: Domain;
  readonly options: RescueOptions;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly state: MapState;
  /** Optional per-read record (never one log line per read). */
  readonly onRead?: (r: ReadRecord) => void;
}

/** Sequential reads in a row that must be slow before their area is judged slow (smart). */
const SLOW_RUN = 3;
/**
 * No read faster than this (bytes/s) is slow, whatever the drive's usual rate: an SSD or a cached
 * file reads at GB/s and dips to hundreds of MB/s with no damage at all, while a hard drive's
 * degraded zone, even behind USB 2, reads at a few MB/s.
 */
const SLOW_RATE_CEILING = 20e6;

export class RescueIO {
  readonly source: BlockSource;
  readonly map: SectorMap;
  readonly domain: Domain;
  readonly options: RescueOptions;
  readonly clock: Clock;
  readonly state: MapState;
  /** Bytes of each status inside the domain, kept in step with every mark(). */
  readonly totals: Record<Status, number>;
  readonly startedAt: number;
  reads = 0;
  readErrors = 0;
  timeouts = 0;
  /** Bytes rescued by this run (not counting what an earlier run rescued). */
  rescuedThisRun = 0;
  lastGoodAt: number;
  /** Drive-time of the last read, and of the quickest failed read so far: a failed read far slower than that hung (the drive was not answering). */
  lastReadMs = 0;
  quickestFailureMs = Infinity;
  /** Bytes per copy read while no read has failed or been slow (runway.ts); 0 once one has. */
  runway: number;
  /** Where the last read ended: a read starting elsewhere paid for a seek. */
  private lastEnd = -1;
  /** The drive's typical rate of sequential good reads (bytes/s), for telling slow areas. */
  private typicalRate = 0;
  private rateSamples = 0;
  /** Slow sequential reads in a row. */
  private slowRun = 0;
  private readonly sink: BlockSink;
  private readonly signal: AbortSignal;
  private readonly log: Logger;
  private readonly onRead?: (r: ReadRecord) => void;

  constructor(deps: RescueIODeps) {
    this.source = deps.source;
    this.sink = deps.sink;
    this.map = deps.map;
    this.domain = deps.domain;
    this.options = deps.options;
    this.clock = deps.clock;
    this.signal = deps.signal;
    this.log = deps.log;
    this.state = deps.state;
    this.onRead = deps.onRead;
    this.totals = deps.domain.totals(deps.map);
    this.startedAt = deps.clock.now();
    this.lastGoodAt = this.startedAt;
    // A map with failures in it (a resumed rescue of a failing drive) has no runway left.
    const failed = this.totals['*'] + this.totals['/'] + this.totals['-'];
    const runway = deps.options.runwaySectors * deps.source.sectorSize;
    this.runway = failed === 0 && runway > deps.options.clusterSectors * deps.source.sectorSize ? runway : 0;
  }

  /** No more runway reads: the drive failed or slowed down at [pos, pos+len). */
  endRunway(pos: number, len: number, why: 'failed' | 'slow'): void {
    if (this.runway === 0) return;
    this.runway = 0;
    this.log.info({ pos, len, why }, 'copying a cluster at a time from here');
  }

  get sectorSize(): number {
    return this.source.sectorSize;
  }

  /** The start of the sector that ends at or contains pos - 1 (the tail of a file may be a partial sector). */
  sectorBefore(pos: number): number {
    return pos - 1 - ((pos - 1) % this.source.sectorSize);
  }

  /** Bytes of the sector at pos, short only at the end of a file that is not whole sectors. */
  sectorLen(pos: number): number {
    return Math.min(this.source.sectorSize, this.source.size - pos);
  }

  setPhase(status: PhaseChar, pass: number): void {
    this.state.currentStatus = status;
    this.state.currentPass = pass;
  }

  /**
   * Read [pos, pos+len) and mark it '+' when it reads, or `failStatus` when it does not.
   * A read that times out is tried once more on the reopened source before it counts as failed:
   * a drive that stopped answering for a moment must not turn good sectors into bad ones.
   */
  async read(pos: number, len: number, failStatus: Status): Promise<ReadVerdict> {
    this.checkStop();
    this.state.currentPos = pos;
    const t0 = this.clock.now();
    let r = await this.readOnce(pos, len);
    if (!r.ok && r.kind === 'timeout') {
      this.timeouts++;
      this.log.warn({ pos, len, timeoutMs: this.options.readTimeoutMs }, 'read timed out; source reopened, trying once more');
      r = await this.readOnce(pos, len);
      if (!r.ok && r.kind === 'timeout') this.timeouts++;
    }
    const now = this.clock.now();
    const ms = now - t0;
    const sequential = pos === this.lastEnd;
    this.lastEnd = pos + len;
    this.reads++;
    this.lastReadMs = ms;
    this.onRead?.({ t: t0, pos, len, ok: r.ok, ms, code: r.ok ? undefined : r.code });
    if (r.ok) {
      await this.sink.write(pos, r.data);
      // The sink has taken the bytes (or holds them itself): the source may read into them again.
      release(r.data);
      this.mark(pos, len, '+');
      this.rescuedThisRun += len;
      this.lastGoodAt = now;
      // The first read after a jump carries the seek; judging it would make every skip look slow.
      // Judged by the device's own time where the source knows it: the answer may have waited for
      // this thread, busy with hashing and compressing.
      const deviceMs = r.deviceMs ?? ms;
      return sequential && deviceMs > 0 && this.isSlow((len * 1000) / deviceMs, len) ? 'slow' : 'ok';
    }
    this.readErrors++;
    this.quickestFailureMs = Math.min(this.quickestFailureMs, ms);
    this.mark(pos, len, failStatus);
    if (this.readErrors > this.options.maxErrors) throw new StopRescue('max-errors');
    return 'error';
  }

  /** Slower than --min-read-rate, or (smart) many times slower than the drive usually reads. */
  private isSlow(rate: number, len: number): boolean {
    if (this.options.minReadRate > 0 && rate < this.options.minReadRate) return true;
    if (this.options.slowFactor <= 0 || len < this.source.sectorSize * 16) return false;
    const slow = this.rateSamples >= 8 && rate * this.options.slowFactor < this.typicalRate && rate < SLOW_RATE_CEILING;
    // A slow read must not drag the yardstick down with it.
    if (!slow) {
      this.slowRun = 0;
      this.rateSamples++;
      this.typicalRate = this.rateSamples === 1 ? rate : this.typicalRate + (rate - this.typicalRate) / Math.min(this.rateSamples, 64);
      return false;
    }
    // One slow read is a hiccup (a thread that lost its core for a moment, a drive's recalibration):
    // leaving the area for later would cost a healthy drive's image its streaming order.
    return ++this.slowRun >= SLOW_RUN;
  }

  /** Set the status of a range, keeping the domain totals right. */
  mark(pos: number, len: number, status: Status): void {
    const stop = pos + len;
    for (const a of this.map.areas(pos)) {
      if (a.pos >= stop) break;
      this.totals[a.status] -= Math.min(end(a), stop) - Math.max(a.pos, pos);
    }
    this.totals[status] += len;
    this.map.set(pos, len, status);
  }

  checkStop(): void {
    if (this.signal.aborted) throw new StopRescue('interrupted');
    if (this.options.stopAtPct < 100 && this.totals['+'] * 100 >= this.options.stopAtPct * this.domain.size) {
      throw new StopRescue('target-reached');
    }
    if (this.clock.now() - this.startedAt >= this.options.maxRunTimeMs) throw new StopRescue('max-run-time');
  }

  private async readOnce(pos: number, len: number): Promise<ReadResult> {
    const read = this.source.read(pos, len, { timeoutMs: this.options.readTimeoutMs });
    if (this.signal.aborted) throw new StopRescue('interrupted');
    // An interrupt must not wait for a read that hangs; its late answer is dropped.
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new StopRescue('interrupted'));
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([read, aborted]);
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }
}
