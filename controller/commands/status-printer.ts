// The live status of `imagebox rescue`: redrawn in place on a terminal, one line every few
// seconds otherwise (logs, pipes, CI).
import type { Writable } from 'node:stream';
import type { RescueProgress } from '../rescue/progress.ts';
import { RateMeter } from '../rescue/progress.ts';
import { statusBlock, statusLine } from '../rescue/status-text.ts';

export class StatusPrinter {
  private readonly out: Writable & { isTTY?: boolean };
  private readonly reverse: boolean;
  private readonly lineIntervalMs: number;
  private readonly meter = new RateMeter();
  private drawn = 0;
  private lastLineAt = -Infinity;

  constructor(out: Writable & { isTTY?: boolean }, reverse: boolean, lineIntervalMs = 5_000) {
    this.out = out;
    this.reverse = reverse;
    this.lineIntervalMs = lineIntervalMs;
  }

  update(p: RescueProgress, final = false): void {
    const rate = this.meter.sample(p);
    if (this.out.isTTY) {
      const lines = statusBlock(p, rate, this.reverse);
      const up = this.drawn ? `\x1b[${this.drawn}A` : '';
      this.out.write(up + lines.map((l) => `\x1b[2K${l}\n`).join(''));
      this.drawn = lines.length;
      return;
    }
    const now = performance.now();
    if (!final && now - this.lastLineAt < this.lineIntervalMs) return;
    this.lastLineAt = now;
    this.out.write(`${statusLine(p, rate, this.reverse)}\n`);
  }
}
