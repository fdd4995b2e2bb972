// Watching drives, whatever tells us to look: a trigger source pokes, the loop waits a short
// debounce (a plugged disk brings its partitions and a burst of uevents), re-lists, and reports
// the difference. One listing runs at a time; a poke during it earns one more listing after it.

import { diffDrives } from './drive-diff.ts';
import type { DriveListing, DriveWatch, WatchOptions } from './types.ts';

/**
 * Starts whatever notices changes: calls poke() when drives may have changed, note() with one line
 * when a way of noticing is unavailable, and stops everything when the signal aborts.
 */
export type TriggerStart = (poke: () => void, signal: AbortSignal, note: (line: string) => void) => void;

export function watchListing(list: () => Promise<DriveListing>, startTriggers: TriggerStart, opts: WatchOptions, debounceMs: number): DriveWatch {
  const { signal } = opts;
  let current: DriveListing | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let settleReady!: (l: DriveListing) => void;
  let failReady!: (e: unknown) => void;
  const ready = new Promise<DriveListing>((resolve, reject) => ((settleReady = resolve), (failReady = reject)));

  const relist = async (): Promise<void> => {
    const next = await list();
    if (!current) {
      current = next;
      settleReady(next);
      return;
    }
    if (signal.aborted) return;
    for (const event of diffDrives(current.drives, next.drives)) opts.onEvent(event);
    if (JSON.stringify(next.notes) !== JSON.stringify(current.notes)) opts.onNotes?.(next.notes);
    current = next;
  };

  const run = (): void => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = relist()
      .catch((err: unknown) => (current ? opts.onNotes?.([`re-listing drives failed: ${String(err)}`]) : failReady(err)))
      .finally(() => {
        running = undefined;
        if (again && !signal.aborted) {
          again = false;
          run();
        }
      });
  };

  const poke = (): void => {
    if (!signal.aborted && !timer) timer = setTimeout(run, debounceMs);
  };

  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      void (running ?? Promise.resolve()).then(() => resolve());
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });

  // Triggers first, then the first listing: a change in between is listed again, never lost.
  startTriggers(poke, signal, (line) => opts.onNotes?.([line]));
  run();
  return { ready, stopped };
}
