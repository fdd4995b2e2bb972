// Delivery against a real HTTP server on loopback that fails, hangs, is down, and rejects. Backoff
// runs on a clock the test moves; only the request timeout is real time.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../../controller/labserver/deliver.ts';
import { enqueue, pendingEntries, retryNow, type EntryState } from '../../../controller/labserver/outbox.ts';
import { captureLog, ERROR, fakeClock, INFO, recordJson, tempDir, WARN } from './helpers.ts';
import { TestLabServer, type Answer } from './lab-server.ts';

const servers: TestLabServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(script: Answer[] = [], port = 0): Promise<TestLabServer> {
  const s = await TestLabServer.start(script, port);
  servers.push(s);
  return s;
}

const signal = new AbortController().signal;
const half = (): number => 0.5;
const state = (dir: string, id: string): EntryState => JSON.parse(readFileSync(join(dir, `${id}.state`), 'utf8')) as EntryState;

async function setup(url: string, opts: { token?: string; timeoutMs?: number } = {}) {
  const dir = await tempDir();
  const clock = fakeClock();
  const { log, lines } = captureLog();
  const config = { labServer: { url, ...opts } };
  const deliver = () => deliverOutbox({ signal, clock, random: half, dir, config, log });
  return { dir, clock, lines, deliver };
}

describe('deliverOutbox against a real server on loopback', () => {
  it('a server that fails 500 three times, then acknowledges: one record stored, moved to sent/, never sent again', async () => {
    const srv = await server([{ status: 500, body: 'db down' }, { status: 502 }, { status: 503 }]);
    const { dir, clock, lines, deliver } = await setup(srv.url, { token: 's3cret' });
    const json = await recordJson('2024-117');
    const { id } = await enqueue(json, undefined, { dir });

    const waits: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const s = await deliver();
      expect(s).toMatchObject({ attempted: 1, retrying: [id], delivered: [], serverTrouble: true, pending: 1 });
      const st = state(dir, id);
      expect(st.attempts).toBe(i);
      expect(st.inFlight).toBeUndefined();
      expect(st.last).toMatchObject({ kind: 'retry', reason: 'server-error' });
      waits.push(s.nextDueAt! - clock.now());
      // Not due yet: nothing is sent.
      expect(await deliver()).toMatchObject({ attempted: 0 });
      clock.set(s.nextDueAt!);
    }
    // 2 s doubling, each a random time in the upper half (random fixed at 0.5 here).
    expect(waits).toEqual([1500, 3000, 6000]);
    expect(state(dir, id).last?.detail).toBe('HTTP 503');

    const s = await deliver();
    expect(s).toMatchObject({ attempted: 1, delivered: [id], pending: 0 });
    expect(srv.received).toHaveLength(4);
    for (const r of srv.received) {
      expect(r).toMatchObject({ method: 'POST', key: id, authorization: 'Bearer s3cret', contentType: 'application/json', body: json });
    }
    expect([...srv.store.values()]).toEqual([json]);
    expect(readdirSync(dir).filter((n) => !n.startsWith('.'))).toEqual(['sent']);
    expect(readFileSync(join(dir, 'sent', `${id}.json`), 'utf8')).toBe(json);
    const sent = state(join(dir, 'sent'), id);
    expect(sent).toMatchObject({ attempts: 4, last: { kind: 'acked', status: 201 }, deliveredAt: new Date(clock.now()).toISOString() });

    clock.advance(24 * 3600_000);
    expect(await deliver()).toMatchObject({ attempted: 0, pending: 0 });
    expect(srv.received).toHaveLength(4);

    const outcomes = lines.filter((l) => l.component === 'outbox');
    expect(outcomes.map((l) => [l.level, l.attempt])).toEqual([[WARN, 1], [WARN, 2], [WARN, 3], [INFO, 4]]);
    expect(outcomes[0]).toMatchObject({ id, reason: 'server-error', status: 500, detail: 'HTTP 500: db down' });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('a server that hangs is cut off by the timeout and retried; a lost acknowledgement does not store the record twice', async () => {
    const srv = await server(['hang', 'store-then-hang', 'ok']);
    const { dir, clock, deliver } = await setup(srv.url, { timeoutMs: 300 });
    const json = await recordJson('hang');
    const { id } = await enqueue(json, 'job-0042', { dir });

    for (const n of [1, 2]) {
      const t0 = Date.now();
      const s = await deliver();
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(280);
      expect(took).toBeLessThan(3000);
      expect(s).toMatchObject({ attempted: 1, retrying: [id] });
      expect(state(dir, id)).toMatchObject({ attempts: n, last: { kind: 'retry', reason: 'timeout', detail: 'no answer within 300 ms' } });
      clock.set(s.nextDueAt!);
    }
    // The second request was stored before the server hung: the retry must not add a second copy.
    expect(srv.store.size).toBe(1);
    expect(await deliver()).toMatchObject({ delivered: [id] });
    expect(srv.received.map((r) => r.key)).toEqual([id, id, id]);
    expect([...srv.store.entries()]).toEqual([[id, json]]);
    expect(state(join(dir, 'sent'), id).last).toMatchObject({ kind: 'acked', status: 200 });
  });

  it('a server that is down (connection refused), then comes up on the same port', async () => {
    const port = await TestLabServer.freePort();
    const { dir, clock, lines, deliver } = await setup(`http://127.0.0.1:${port}/in`);
    const { id } = await enqueue(await recordJson('down'), undefined, { dir });

    const s1 = await deliver();
    expect(s1).toMatchObject({ attempted: 1, retrying: [id], serverTrouble: true });
    expect(state(dir, id).last).toMatchObject({ kind: 'retry', reason: 'unreachable' });
    expect(state(dir, id).last?.detail).toMatch(/^ECONNREFUSED/);
    expect(lines.at(-1)).toMatchObject({ level: WARN, reason: 'unreachable' });

    const srv = await server([], port);
    clock.set(s1.nextDueAt!);
    expect(await deliver()).toMatchObject({ delivered: [id], pending: 0 });
    expect(srv.store.size).toBe(1);
    expect(existsSync(join(dir, 'sent', `${id}.json`))).toBe(true);
  });

  it('a 400 is a rejection: kept, logged at error, tried again only after hours or when asked, and the round goes on', async () => {
    const srv = await server([{ status: 400, body: '\ninvalid record: no examiner\nat line 3' }]);
    const { dir, clock, lines, deliver } = await setup(srv.url);
    const bad = await enqueue(await recordJson('rejected'), 'a-first', { dir });
    const good = await enqueue(await recordJson('accepted'), 'b-second', { dir });

    const s = await deliver();
    expect(s).toMatchObject({ attempted: 2, rejected: [bad.id], delivered: [good.id], serverTrouble: false, pending: 1 });
    const st = state(dir, bad.id);
    expect(st.rejected).toMatchObject({ status: 400, detail: 'HTTP 400: invalid record: no examiner' });
    expect(Date.parse(st.nextAttemptAt) - clock.now()).toBe(6 * 3600_000);
    expect(lines.find((l) => l.id === bad.id)).toMatchObject({ level: ERROR, status: 400, detail: 'HTTP 400: invalid record: no examiner' });
    expect(existsSync(join(dir, `${bad.id}.json`))).toBe(true);

    clock.advance(3600_000);
    expect(await deliver()).toMatchObject({ attempted: 0, pending: 1 });
    expect(await retryNow(dir, [bad.id], clock.now())).toEqual([bad.id]);
    expect(await deliver()).toMatchObject({ attempted: 1, delivered: [bad.id], pending: 0 });
    expect(state(join(dir, 'sent'), bad.id)).toMatchObject({ attempts: 2 });
    expect(state(join(dir, 'sent'), bad.id).rejected).toBeUndefined();
    expect(srv.store.size).toBe(2);
  });

  it('429 waits at least Retry-After; a redirect is not followed but rejected', async () => {
    const srv = await server([
      { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' },
      { status: 302, headers: { location: '/elsewhere' } },
    ]);
    const { dir, clock, deliver } = await setup(srv.url);
    const { id } = await enqueue(await recordJson('throttled'), undefined, { dir });
    const s = await deliver();
    expect(s.nextDueAt! - clock.now()).toBe(120_000);
    expect(state(dir, id).last).toMatchObject({ reason: 'throttled', status: 429 });
    clock.set(s.nextDueAt!);
    await deliver();
    expect(state(dir, id).rejected).toMatchObject({ status: 302 });
    expect(srv.received.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('a server in trouble ends the round: one request, not one per waiting record', async () => {
    const srv = await server([{ status: 500 }]);
    const { dir, deliver } = await setup(srv.url);
    for (const n of ['1', '2', '3']) await enqueue(await recordJson(n), `r${n}`, { dir });
    expect(await deliver()).toMatchObject({ attempted: 1, pending: 3, serverTrouble: true });
    expect(srv.received).toHaveLength(1);
    // The ones not tried keep their place and their attempt count.
    expect((await pendingEntries(dir)).map((e) => [e.id, e.state.attempts])).toEqual([['r2', 0], ['r3', 0], ['r1', 1]]);
  });

  it('without a configured lab server nothing is sent and the outbox is left as it is', async () => {
    const dir = await tempDir();
    await enqueue(await recordJson('x'), 'x', { dir });
    const s = await deliverOutbox({ signal, dir, config: {} });
    expect(s).toMatchObject({ configured: false, attempted: 0, pending: 1 });
    expect(readdirSync(dir).sort()).toEqual(['sent', 'x.json']);
  });
});
