// What a rescue reports while it runs: the figures of ddrescue's status screen.
import type { PhaseChar } from './mapfile.ts';
import type { RescueIO } from './rescue-io.ts';

export interface RescueProgress {
  readonly phase: PhaseChar;
  readonly pass: number;
  readonly pos: number;
  readonly domainSize: number;
  readonly rescued: number;
  readonly nonTried: number;
  readonly nonTrimmed: number;
  readonly nonScraped: number;
  readonly badSector: number;
  readonly badAreas: number;
  readonly reads: number;
  readonly readErrors: number;
  readonly timeouts: number;
  readonly runTimeMs: number;
  readonly sinceLastGoodMs: number;
  /** Bytes/s rescued by this run, on average. */
  readonly averageRate: number;
  /** Bytes still to try in the phases to come, over the average rate; undefined when unknown. */
  readonly remainingMs: number | undefined;
}

export function progressOf(io: RescueIO): RescueProgress {
  const now = io.clock.now();
  const t = io.totals;
  const runTimeMs = now - io.startedAt;
  const averageRate = runTimeMs > 0 ? (io.rescuedThisRun * 1000) / runTimeMs : 0;
  const done = io.state.currentStatus === '+';
  const toTry = done ? 0 : t['?'] + t['*'] + t['/'] + (io.options.retries > 0 ? t['-'] : 0);
  return {
    phase: io.state.currentStatus,
    pass: io.state.currentPass,
    pos: io.state.currentPos,
    domainSize: io.domain.size,
    rescued: t['+'],
    nonTried: t['?'],
    nonTrimmed: t['*'],
    nonScraped: t['/'],
    badSector: t['-'],
    badAreas: io.map.count('-'),
    reads: io.reads,
    readErrors: io.readErrors,
    timeouts: io.timeouts,
    runTimeMs,
    sinceLastGoodMs: now - io.lastGoodAt,
    averageRate,
    remainingMs: toTry === 0 ? 0 : averageRate > 0 ? (toTry * 1000) / averageRate : undefined,
  };
}

/** The current rate: bytes rescued per second between two reports at least a second apart. */
export class RateMeter {
  private lastT: number | undefined;
  private lastRescued = 0;
  rate = 0;

  sample(p: RescueProgress): number {
    const t = p.runTimeMs;
    if (this.lastT === undefined) {
      this.lastT = t;
      this.lastRescued = p.rescued;
    } else if (t - this.lastT >= 1000) {
      this.rate = ((p.rescued - this.lastRescued) * 1000) / (t - this.lastT);
      this.lastT = t;
      this.lastRescued = p.rescued;
    }
    return this.rate;
  }
}
