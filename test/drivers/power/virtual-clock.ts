// A PowerClock whose waits take no wall time: each sleep is recorded, may run a hook (to abort,
// or to look at the hardware mid-wait), and then moves the clock on.

import type { PowerClock } from '../../../drivers/power/cycle.ts';

export class VirtualClock implements PowerClock {
  t = Date.parse('2026-01-01T00:00:00Z');
  readonly sleeps: number[] = [];
  onSleep: ((ms: number) => void | Promise<void>) | undefined;

  now(): number {
    return this.t;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    await this.onSleep?.(ms);
    signal?.throwIfAborted();
    this.t += ms;
  }
}
