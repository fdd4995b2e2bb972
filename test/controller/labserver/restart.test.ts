// Restarts for real: a deliverer process killed with SIGKILL in the middle of a request, then a new
// process that picks the outbox up, honours the backoff the first one wrote down, and delivers.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueue, outboxDir, type EntryState } from '../../../controller/labserver/outbox.ts';
import { recordJson, tempDir } from './helpers.ts';
import { TestLabServer } from './lab-server.ts';

const CHILD = fileURLToPath(new URL('./outbox-child.ts', import.meta.url));

function start(stateDir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, IMAGEBOX_STATE_DIR: stateDir };
  delete env.IMAGEBOX_CONFIG; // the default place, <stateDir>/config.json
  const child = spawn(process.execPath, [CHILD, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let srv: TestLabServer | undefined;
afterAll(() => srv?.close());

describe('a deliverer process killed mid-request, then a new one', () => {
  it('keeps the attempt, waits the backoff, delivers once, and moves the record to sent/', async () => {
    srv = await TestLabServer.start(['store-then-hang']);
    const stateDir = await tempDir();
    writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ labServer: { url: srv.url, timeoutMs: 60_000 } }));
    const dir = outboxDir(stateDir);
    const json = await recordJson('restart');
    const { id } = await enqueue(json, 'case-7-image', { dir });
    const stateOf = (d: string): EntryState => JSON.parse(readFileSync(join(d, `${id}.state`), 'utf8')) as EntryState;

    const first = start(stateDir, ['run']);
    await srv.waitForRequests(1);
    expect(readFileSync(join(dir, '.deliverer.lock'), 'utf8').trim()).toBe(String(first.child.pid));
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const cut = stateOf(dir);
    expect(cut).toMatchObject({ attempts: 1, inFlight: true });
    const backoff = Date.parse(cut.nextAttemptAt) - Date.parse(cut.lastAttemptAt!);
    expect(backoff).toBeGreaterThanOrEqual(1000);
    expect(backoff).toBeLessThanOrEqual(2000);

    const status = await start(stateDir, ['status']).done;
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`waiting: 1\n  ${id}  attempts 1, an attempt was cut short, next ${cut.nextAttemptAt}`);

    // The lock of the dead process is taken over; the server now answers.
    const second = start(stateDir, ['run']);
    await until('the record in sent/', () => existsSync(join(dir, 'sent', `${id}.json`)));
    second.child.kill('SIGTERM');
    const end = await second.done;
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.stderr).toContain(`delivering ${dir} to ${srv.url}`);

    expect(srv.received.map((r) => r.key)).toEqual([id, id]);
    expect(srv.received[1].at).toBeGreaterThanOrEqual(Date.parse(cut.nextAttemptAt) - 50);
    expect([...srv.store.values()]).toEqual([json]);
    expect(existsSync(join(dir, `${id}.json`))).toBe(false);
    expect(existsSync(join(dir, `${id}.state`))).toBe(false);
    expect(existsSync(join(dir, '.deliverer.lock'))).toBe(false);
    expect(stateOf(join(dir, 'sent'))).toMatchObject({ attempts: 2, last: { kind: 'acked', status: 200 } });
    expect(stateOf(join(dir, 'sent')).inFlight).toBeUndefined();

    const log = readFileSync(join(stateDir, 'outbox.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.filter((l) => l.msg === 'delivered')).toMatchObject([{ component: 'outbox', id, attempt: 2, status: 200 }]);
  });
});
