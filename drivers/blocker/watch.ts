// A write-block state that changes while a job runs is an event: someone ran `blockdev --setrw`,
// a bridge was unplugged, a port controller switched. Polling sysfs costs a few file reads, so a
// 250 ms poll reports a change well within a second without inotify (sysfs `ro` never notifies).

import { setTimeout as sleep } from 'node:timers/promises';
import { readKernelRo, type KernelRoOptions } from './kernel-ro.ts';
import type { WriteBlockMethod, WriteBlockReading, WriteBlockState } from './types.ts';

export const DEFAULT_WATCH_INTERVAL_MS = 250;

export interface WatchOptions {
  /** Time between polls; a change is reported at most this long (plus one read) after it happens. */
  readonly intervalMs?: number;
  /** Stops the watch; the returned promise then resolves. */
  readonly signal?: AbortSignal;
  /** What the caller already knows: changes are reported against it rather than the first poll. */
  readonly baseline?: readonly WriteBlockReading[];
}

export interface WriteBlockChange {
  readonly dev: string;
  readonly method: WriteBlockMethod;
  /** undefined when the method had no reading before (a bridge appeared). */
  readonly from: WriteBlockState | undefined;
  /** undefined when the method no longer applies (a bridge went away). */
  readonly to: WriteBlockState | undefined;
  /** The new reading, or the last one seen when the method went away. */
  readonly reading: WriteBlockReading;
}

/** The changes between two sets of readings, one per method whose state moved. */
export function diffReadings(
  dev: string,
  before: readonly WriteBlockReading[],
  after: readonly WriteBlockReading[],
): WriteBlockChange[] {
  const changes: WriteBlockChange[] = [];
  const old = new Map(before.map((r) => [r.method, r]));
  for (const r of after) {
    const prev = old.get(r.method);
    if (prev?.state !== r.state) changes.push({ dev, method: r.method, from: prev?.state, to: r.state, reading: r });
    old.delete(r.method);
  }
  for (const gone of old.values()) changes.push({ dev, method: gone.method, from: gone.state, to: undefined, reading: gone });
  return changes;
}

/**
 * Polls `read` until the signal aborts, calling onChange for every state that moved. `nudge`
 * (a hotplug event, say) makes the next poll happen at once. Resolves when aborted; rejects
 * only when onChange throws.
 */
export async function pollWriteBlock(
  dev: string,
  read: () => Promise<WriteBlockReading[]>,
  opts: WatchOptions,
  onChange: (change: WriteBlockChange) => void,
  nudge?: (wake: () => void) => () => void,
): Promise<void> {
  const intervalMs = opts.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
  const { signal } = opts;
  let last = opts.baseline ?? (await read());
  let wake: AbortController | undefined;
  const unsubscribe = nudge?.(() => wake?.abort());
  try {
    while (!signal?.aborted) {
      wake = new AbortController();
      const stop = signal ? AbortSignal.any([signal, wake.signal]) : wake.signal;
      await sleep(intervalMs, undefined, { signal: stop }).catch(() => {});
      if (signal?.aborted) break;
      const now = await read();
      for (const change of diffReadings(dev, last, now)) onChange(change);
      last = now;
    }
  } finally {
    unsubscribe?.();
  }
}

/** Watches the kernel read-only flag of dev through sysfs. */
export function watchWriteBlock(
  dev: string,
  opts: WatchOptions & KernelRoOptions,
  onChange: (change: WriteBlockChange) => void,
): Promise<void> {
  return pollWriteBlock(dev, async () => [await readKernelRo(dev, opts)], opts, onChange);
}
