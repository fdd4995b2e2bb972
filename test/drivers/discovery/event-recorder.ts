// Collects a watch's events and waits for one, timing how long it took to come.

import type { DriveEvent } from '../../../drivers/discovery/types.ts';

export interface EventRecorder {
  readonly events: DriveEvent[];
  readonly onEvent: (e: DriveEvent) => void;
  /** The first event (recorded from `since` on) matching, and the ms from `since` to its arrival; rejects after timeoutMs. */
  waitFor(match: (e: DriveEvent) => boolean, since: number, timeoutMs: number): Promise<{ event: DriveEvent; ms: number }>;
}

export function eventRecorder(): EventRecorder {
  const events: DriveEvent[] = [];
  const arrivals: number[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    onEvent(e) {
      events.push(e);
      arrivals.push(performance.now());
      for (const w of waiters) w();
    },
    waitFor(match, since, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const i = events.findIndex((e, k) => arrivals[k] >= since && match(e));
          if (i < 0) return;
          cleanup();
          resolve({ event: events[i], ms: arrivals[i] - since });
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => `${e.type} ${e.drive.name}`))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
