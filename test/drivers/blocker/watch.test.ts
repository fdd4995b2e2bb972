// The watcher's rules on a scripted reader: only state changes are events, a baseline counts as
// the first poll, a nudge polls at once, an abort ends it.

import { describe, expect, it } from 'vitest';
import type { WriteBlockReading, WriteBlockState } from '../../../drivers/blocker/types.ts';
import { diffReadings, pollWriteBlock, type WriteBlockChange } from '../../../drivers/blocker/watch.ts';

const kernel = (state: WriteBlockState, detail = 'x'): WriteBlockReading => ({ method: 'kernel-ro', state, detail, at: 'now' });
const bridge = (state: WriteBlockState): WriteBlockReading => ({ method: 'usb-bridge', state, detail: 'b', at: 'now' });

describe('diffReadings', () => {
  it('reports moved states, appearing and vanishing methods, and ignores detail-only changes', () => {
    expect(diffReadings('/dev/a', [kernel('not-engaged', 'one')], [kernel('not-engaged', 'two')])).toEqual([]);
    const moved = diffReadings('/dev/a', [kernel('not-engaged'), bridge('engaged')], [kernel('engaged')]);
    expect(moved.map((c) => [c.method, c.from, c.to])).toEqual([
      ['kernel-ro', 'not-engaged', 'engaged'],
      ['usb-bridge', 'engaged', undefined],
    ]);
    expect(diffReadings('/dev/a', [], [bridge('unknown')])[0]).toMatchObject({ from: undefined, to: 'unknown', dev: '/dev/a' });
  });
});

/** A reader that returns the scripted states in turn, then repeats the last one. */
function scripted(states: WriteBlockState[]) {
  let i = 0;
  return {
    polls: () => i,
    read: async () => [kernel(states[Math.min(i++, states.length - 1)])],
  };
}

describe('pollWriteBlock', () => {
  it('reports each change once, against the first poll', async () => {
    const r = scripted(['not-engaged', 'not-engaged', 'engaged', 'engaged', 'not-engaged']);
    const seen: WriteBlockChange[] = [];
    const ac = new AbortController();
    const done = pollWriteBlock('/dev/a', r.read, { intervalMs: 5, signal: ac.signal }, (c) => {
      seen.push(c);
      if (seen.length === 2) ac.abort();
    });
    await done;
    expect(seen.map((c) => `${c.from}->${c.to}`)).toEqual(['not-engaged->engaged', 'engaged->not-engaged']);
    expect(r.polls()).toBe(5);
  });

  it('compares the first poll with a baseline the caller gives', async () => {
    const seen: WriteBlockChange[] = [];
    const ac = new AbortController();
    await pollWriteBlock('/dev/a', async () => [kernel('not-engaged')], { intervalMs: 5, signal: ac.signal, baseline: [kernel('engaged')] }, (c) => {
      seen.push(c);
      ac.abort();
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ from: 'engaged', to: 'not-engaged' });
  });

  it('polls at once when nudged, and unsubscribes when stopped', async () => {
    const r = scripted(['engaged', 'not-engaged']);
    let wake: (() => void) | undefined;
    let unsubscribed = false;
    const ac = new AbortController();
    const t0 = performance.now();
    let after = 0;
    const done = pollWriteBlock('/dev/a', r.read, { intervalMs: 60_000, signal: ac.signal }, () => {
      after = performance.now() - t0;
      ac.abort();
    }, (w) => {
      wake = w;
      return () => (unsubscribed = true);
    });
    await new Promise((res) => setTimeout(res, 20));
    wake?.();
    await done;
    expect(after).toBeLessThan(1000);
    expect(unsubscribed).toBe(true);
  });

  it('resolves promptly on abort, with no event after it', async () => {
    const r = scripted(['engaged', 'not-engaged']);
    const ac = new AbortController();
    const events: WriteBlockChange[] = [];
    const done = pollWriteBlock('/dev/a', r.read, { intervalMs: 60_000, signal: ac.signal }, (c) => events.push(c));
    await new Promise((res) => setTimeout(res, 10));
    const t0 = performance.now();
    ac.abort();
    await done;
    expect(performance.now() - t0).toBeLessThan(100);
    expect(events).toEqual([]);
  });

  it('refuses a non-positive interval', async () => {
    await expect(pollWriteBlock('/dev/a', async () => [], { intervalMs: 0 }, () => {})).rejects.toThrow(RangeError);
  });
});
