// Test helpers for the port controller: a recorder of the controller's events that can wait for
// the next one matching a test (and the memory logger, re-exported).

import type { PortController } from '../../../drivers/blocker/port-controller.ts';
import type { PortControllerEvent } from '../../../drivers/blocker/port-controller-types.ts';

export { memoryLogger } from '../../helpers/memory-logger.ts';

/** Records every event; next() returns the first matching event after the last one it returned. */
export function eventRecorder(pc: PortController): {
  seen: PortControllerEvent[];
  next(match: (e: PortControllerEvent) => boolean, timeoutMs?: number): Promise<PortControllerEvent>;
} {
  const seen: PortControllerEvent[] = [];
  const waiters = new Set<() => void>();
  let cursor = 0;
  pc.subscribe((e) => {
    seen.push(e);
    for (const w of [...waiters]) w();
  });
  const take = (match: (e: PortControllerEvent) => boolean): PortControllerEvent | undefined => {
    const i = seen.findIndex((e, k) => k >= cursor && match(e));
    if (i < 0) return undefined;
    cursor = i + 1;
    return seen[i];
  };
  return {
    seen,
    next: (match, timeoutMs = 2_000) =>
      new Promise((resolve, reject) => {
        const now = take(match);
        if (now) return resolve(now);
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching event within ${timeoutMs} ms; saw ${JSON.stringify(seen.map((e) => e.type))}`));
        }, timeoutMs);
        const w = (): void => {
          const e = take(match);
          if (!e) return;
          clearTimeout(timer);
          waiters.delete(w);
          resolve(e);
        };
        waiters.add(w);
      }),
  };
}
