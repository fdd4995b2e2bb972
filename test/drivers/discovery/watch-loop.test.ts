// The watch loop's timing rules, with a lister that counts its calls and can be held open.

import { describe, expect, it } from 'vitest';
import { emulatedDrive } from '../../../drivers/discovery/emulated.ts';
import type { Drive, DriveListing } from '../../../drivers/discovery/types.ts';
import { watchListing } from '../../../drivers/discovery/watch-loop.ts';
import { eventRecorder } from './event-recorder.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingLister(drives: Drive[], holdMs: number) {
  const calls = { started: 0, concurrent: 0, maxConcurrent: 0 };
  const list = async (): Promise<DriveListing> => {
    calls.started++;
    calls.maxConcurrent = Math.max(calls.maxConcurrent, ++calls.concurrent);
    const snapshot = [...drives];
    await sleep(holdMs);
    calls.concurrent--;
    return { drives: snapshot, notes: [] };
  };
  return { list, calls };
}

/** A watch loop over a counting lister, poked by hand. */
function startLoop(holdMs: number, debounceMs: number) {
  const drives: Drive[] = [];
  const { list, calls } = countingLister(drives, holdMs);
  let poke!: () => void;
  const ctl = new AbortController();
  const rec = eventRecorder();
  const w = watchListing(list, (p) => (poke = p), { signal: ctl.signal, onEvent: rec.onEvent }, debounceMs);
  return { drives, calls, poke: () => poke(), ctl, rec, w };
}

describe('watchListing', () => {
  it('coalesces a burst of pokes into one listing after the debounce', async () => {
    const { drives, calls, poke, ctl, rec, w } = startLoop(0, 50);
    await w.ready;
    drives.push(emulatedDrive({ name: 'sdb' }));
    for (let i = 0; i < 20; i++) poke();
    await sleep(150);
    expect(calls.started).toBe(2);
    expect(rec.events.map((e) => e.type)).toEqual(['attach']);
    ctl.abort();
    await w.stopped;
  });

  it('never lists twice at once, and lists again after a poke that came during a listing', async () => {
    const { drives, calls, poke, ctl, rec, w } = startLoop(100, 0);
    await w.ready;
    poke();
    await sleep(30);
    drives.push(emulatedDrive({ name: 'sdc' }));
    poke();
    await rec.waitFor((e) => e.type === 'attach', 0, 1000);
    expect(calls).toMatchObject({ started: 3, maxConcurrent: 1 });
    ctl.abort();
    await w.stopped;
  });

  it('settles `stopped` only after a listing in flight has finished, and reports none of it', async () => {
    const { drives, calls, poke, ctl, rec, w } = startLoop(200, 0);
    await w.ready;
    drives.push(emulatedDrive({ name: 'sdd' }));
    poke();
    await sleep(20);
    ctl.abort();
    await w.stopped;
    expect(calls.concurrent).toBe(0);
    expect(rec.events).toEqual([]);
  });
});
