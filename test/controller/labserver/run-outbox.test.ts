// The long-running loop, with a sleep that moves a fake clock: every wait it chooses is visible.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOutbox } from '../../../controller/labserver/deliver.ts';
import { enqueue, pendingEntries, sentEntries, type EntryState } from '../../../controller/labserver/outbox.ts';
import { captureLog, fakeClock, recordJson, tempDir } from './helpers.ts';
import { TestLabServer } from './lab-server.ts';

let srv: TestLabServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

describe('runOutbox', () => {
  it('backs off for the whole server while it fails, then delivers everything once it answers', async () => {
    srv = await TestLabServer.start([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    const dir = await tempDir();
    for (const n of ['1', '2', '3']) await enqueue(await recordJson(n), `r${n}`, { dir });
    const clock = fakeClock();
    const { log, lines } = captureLog();
    const ac = new AbortController();
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
      clock.advance(ms);
      if ((await pendingEntries(dir)).length === 0 || waits.length > 20) ac.abort();
    };
    await runOutbox(ac.signal, { dir, config: { labServer: { url: srv.url } }, clock, random: () => 0.5, sleep, log, pollMs: 15_000 });

    expect((await sentEntries(dir)).map((s) => s.id).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(srv.store.size).toBe(3);
    // Four failed rounds, one request each, the server-wide wait doubling from 2 s (random 0.5:
    // three quarters of it) whichever record was tried; then all three are due and go in one
    // round, the most overdue first, and the loop falls back to polling.
    expect(srv.received.map((r) => r.key)).toEqual(['r1', 'r2', 'r3', 'r1', 'r2', 'r3', 'r1']);
    expect(waits).toEqual([1500, 3000, 6000, 12000, 15000]);
    expect(lines.filter((l) => l.msg === 'delivered')).toHaveLength(3);
  });

  it('says once, not every round, that records wait with no lab server configured', async () => {
    const dir = await tempDir();
    await enqueue(await recordJson('n'), 'n', { dir });
    const { log, lines } = captureLog();
    const ac = new AbortController();
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      if (waits.push(ms) === 5) ac.abort();
    };
    await runOutbox(ac.signal, { dir, config: {}, sleep, log, pollMs: 1000 });
    expect(waits).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(lines.filter((l) => l.level === 50).map((l) => l.problem)).toEqual(['1 records wait, but no labServer is configured']);
  });

  it('stops at once when aborted during a request, leaving the attempt written down as in flight', async () => {
    srv = await TestLabServer.start(['hang']);
    const dir = await tempDir();
    await enqueue(await recordJson('abort'), 'ab', { dir });
    const ac = new AbortController();
    const { log } = captureLog();
    const running = runOutbox(ac.signal, { dir, config: { labServer: { url: srv.url, timeoutMs: 600_000 } }, log });
    await srv.waitForRequests(1);
    const t0 = Date.now();
    ac.abort();
    await running;
    expect(Date.now() - t0).toBeLessThan(1000);
    const st = JSON.parse(readFileSync(join(dir, 'ab.state'), 'utf8')) as EntryState;
    expect(st).toMatchObject({ attempts: 1, inFlight: true });
    expect((await pendingEntries(dir)).map((e) => e.id)).toEqual(['ab']);
    expect(existsSync(join(dir, '.deliverer.lock'))).toBe(false);
  });
});
