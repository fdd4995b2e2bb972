// The run model of the smart copy pass: the bad runs found so far, each bracketed by good sectors
// (exact first and last bad sector), and from them a prediction of the next one. A dead or weak
// head leaves a bad band in every cycle of head bands, so its runs start at a fixed period and
// have a fixed length within a zone. Nothing about heads or zones is assumed: a prediction is made
// only once the last three runs agree with each other (same spacing, same length, within a
// tolerance), and a run that breaks the pattern starts the learning over from it.

export interface Run {
  /** First bad byte and the byte after the last bad one. */
  readonly start: number;
  readonly end: number;
  /** Predicted and skipped without reading: not yet seen to be bad. */
  readonly predicted: boolean;
}

/** Spacings and lengths agree when they differ by at most this many sectors plus this share. */
const TOLERANCE_SECTORS = 2;
const TOLERANCE_SHARE = 1 / 64;

export class BandModel {
  private runs: Run[] = [];
  private readonly sectorSize: number;

  constructor(sectorSize: number) {
    this.sectorSize = sectorSize;
  }

  /** A bad run found by reading, or a predicted one skipped. Runs arrive in ascending order. */
  add(run: Run): void {
    const last = this.runs.at(-1);
    // A run that continues the last one (a predicted band found longer than predicted) extends it.
    if (last && run.start <= last.end) {
      this.runs[this.runs.length - 1] = { start: last.start, end: Math.max(last.end, run.end), predicted: last.predicted && run.predicted };
      return;
    }
    this.runs.push(run);
    if (this.runs.length > 8) this.runs.shift();
  }

  /** A predicted run turned out not to be there: forget it, and the pattern it came from. */
  refute(start: number): void {
    const i = this.runs.findIndex((r) => r.start === start && r.predicted);
    if (i >= 0) this.runs = this.runs.slice(i + 1);
  }

  /** The unverified predicted runs that start in [from, to). */
  predictedIn(from: number, to: number): Run[] {
    return this.runs.filter((r) => r.predicted && r.start >= from && r.start < to);
  }

  /** How far apart the last two runs start. */
  spacing(): number | undefined {
    const r = this.runs;
    return r.length < 2 ? undefined : r[r.length - 1].start - r[r.length - 2].start;
  }

  /** The period of the pattern, when the last three runs make one. */
  period(): number | undefined {
    const r = this.runs;
    if (r.length < 3) return undefined;
    const [a, b, c] = r.slice(-3);
    const p1 = b.start - a.start;
    const p2 = c.start - b.start;
    if (!this.agree(p1, p2)) return undefined;
    if (!this.agree(b.end - b.start, c.end - c.start) || !this.agree(a.end - a.start, c.end - c.start)) return undefined;
    // A band must leave room for good data between two of them.
    if (c.end - c.start >= p2) return undefined;
    return p2;
  }

  /** The next bad run the pattern predicts: where the last one started plus the period, as long as the last one. */
  next(): Run | undefined {
    const p = this.period();
    if (p === undefined) return undefined;
    const last = this.runs[this.runs.length - 1];
    const start = last.start + p;
    return { start, end: start + (last.end - last.start), predicted: true };
  }

  private agree(x: number, y: number): boolean {
    return Math.abs(x - y) <= TOLERANCE_SECTORS * this.sectorSize + Math.max(x, y) * TOLERANCE_SHARE;
  }
}
