// Mapfile saves: every few seconds of wall time, at each phase change, and at the end.
// Saves run one at a time; a timer keeps them going even while a read hangs.
import type { Logger } from 'pino';

export class Checkpointer {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly periodic: () => Promise<void>;
  private readonly intervalMs: number;
  private readonly log: Logger;
  saves = 0;

  constructor(periodic: () => Promise<void>, intervalMs: number, log: Logger) {
    this.periodic = periodic;
    this.intervalMs = intervalMs;
    this.log = log;
  }

  start(): void {
    if (!(this.intervalMs > 0 && Number.isFinite(this.intervalMs))) return;
    this.timer = setInterval(() => {
      this.now(this.periodic).catch((err) => this.log.error({ err }, 'periodic mapfile save failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Queue a save behind any save under way; resolves when this one is done. */
  now(save: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      await save();
      this.saves++;
    });
    this.chain = next.catch(() => {});
    return next;
  }

  /** No more periodic saves; run the last one after any under way. */
  async stop(save: () => Promise<void>): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.now(save);
  }
}
