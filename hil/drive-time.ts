// How long an emulated drive takes for each command, in virtual drive-time. The numbers are a
// plain object so that a benchmark can print the model it ran under and a test can change one term.

/** All times in milliseconds of drive-time. */
export interface CostModel {
  /** Sustained media rate for sequential reads, in MB/s (10^6 bytes). */
  readonly rateMBps: number;
  /** Settle time of any seek; a read starting where the last one ended pays no seek. */
  readonly seekBaseMs: number;
  /** Added to seekBaseMs times sqrt(distance / size): a full-stroke seek costs seekBaseMs + fullStrokeMs. */
  readonly fullStrokeMs: number;
  /** A read that fails on a bad sector: the drive's own retries before it reports the error. */
  readonly failedReadMs: number;
  /** The host closing and reopening (resetting) the drive. */
  readonly resetMs: number;
}

// Random seeks average sqrt(distance/size) = 8/15, so 1 + 13 * 8/15 is about 8 ms, a 7200 rpm desktop drive.
export const DEFAULT_COST: CostModel = {
  rateMBps: 150,
  seekBaseMs: 1,
  fullStrokeMs: 13,
  failedReadMs: 3000,
  resetMs: 2000,
};

export function costModel(overrides: Partial<CostModel> = {}): CostModel {
  const cost = { ...DEFAULT_COST, ...overrides };
  for (const [k, v] of Object.entries(cost)) {
    if (!Number.isFinite(v) || v < 0 || (k === 'rateMBps' && v === 0)) throw new Error(`invalid cost model term ${k}=${v}`);
  }
  return cost;
}

export function seekMs(cost: CostModel, from: number, to: number, size: number): number {
  if (from === to) return 0;
  return cost.seekBaseMs + cost.fullStrokeMs * Math.sqrt(Math.abs(to - from) / size);
}

export function transferMs(cost: CostModel, bytes: number): number {
  return bytes / (cost.rateMBps * 1000);
}

export function formatCostModel(cost: CostModel): string {
  return (
    `rate ${cost.rateMBps} MB/s, seek ${cost.seekBaseMs} + ${cost.fullStrokeMs} x sqrt(distance/size) ms, ` +
    `failed read ${cost.failedReadMs} ms, reset ${cost.resetMs} ms`
  );
}

/** Drive-time: it moves only when the drive works. */
export class VirtualClock {
  private t = 0;

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`clock cannot move by ${ms} ms`);
    this.t += ms;
  }
}
